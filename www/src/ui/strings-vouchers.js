// Strings of "Your codes" (ui/vouchers.js): a chunk of their own, like the
// popup's and the explainer's. Merchant overrides: the config's `texts`.

export const en = {
  vc_title: 'Your codes',
  vc_past: 'Used and cancelled',
  vc_amount: '{amount} off',
  vc_free_shipping: 'Free shipping',
  vc_copy: 'Copy code',
  vc_copied: 'Copied',
  vc_apply: 'Apply',
  vc_applying: 'Applying…',
  vc_hint_apply: 'Apply it to this order here, or enter it at checkout.',
  vc_hint_manual: 'Enter it in the discount code field at checkout.',
  vc_applied: 'Applied to this order.',
  vc_refused: 'The store didn’t take this code for this cart. You can still enter it at checkout.',
  vc_used: 'Used on {date}',
  vc_voided: 'Cancelled by the store',
  vc_all: 'All your codes ({n})',
};

export const vi = {
  vc_title: 'Mã của bạn',
  vc_past: 'Đã dùng hoặc đã huỷ',
  vc_amount: 'Giảm {amount}',
  vc_free_shipping: 'Miễn phí giao hàng',
  vc_copy: 'Sao chép mã',
  vc_copied: 'Đã sao chép',
  vc_apply: 'Áp dụng',
  vc_applying: 'Đang áp dụng…',
  vc_hint_apply: 'Áp dụng ngay cho đơn này, hoặc nhập mã khi thanh toán.',
  vc_hint_manual: 'Nhập mã vào ô mã giảm giá khi thanh toán.',
  vc_applied: 'Đã áp dụng cho đơn này.',
  vc_refused: 'Cửa hàng chưa nhận mã này cho giỏ hàng hiện tại. Bạn vẫn có thể nhập mã khi thanh toán.',
  vc_used: 'Đã dùng ngày {date}',
  vc_voided: 'Đã bị cửa hàng huỷ',
  vc_all: 'Tất cả mã của bạn ({n})',
};
