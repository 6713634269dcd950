// Strings of the redemptions list (ui/redeem.js): a chunk of its own, like
// the popup's and the explainer's. Merchant overrides: the config's `texts`.

export const en = {
  voucher_wait: 'Creating your code…',
  redeem_use: 'Use {points}',
  redeem_choose: 'Use',
  redeem_save: 'Save {amount}',
  redeem_points_label: '{name}: points to use',
  reason_members_only: 'Only with {plan}',
  reason_min_cart: 'On orders from {amount}',
  reason_insufficient_points: '{points} more needed',
  reason_cart_too_small: 'Not available for this cart',
  redeem_chosen: 'Chosen: {name}. It will be applied at checkout.',
  redeem_error: 'We couldn’t create your code. Please try again.',
};

export const vi = {
  voucher_wait: 'Đang tạo mã ưu đãi…',
  redeem_use: 'Dùng {points}',
  redeem_choose: 'Dùng',
  redeem_save: 'Giảm {amount}',
  redeem_points_label: '{name}: số điểm muốn dùng',
  reason_members_only: 'Chỉ dành cho {plan}',
  reason_min_cart: 'Cho đơn hàng từ {amount}',
  reason_insufficient_points: 'Cần thêm {points}',
  reason_cart_too_small: 'Chưa áp dụng được cho giỏ hàng này',
  redeem_chosen: 'Đã chọn: {name}. Ưu đãi sẽ được áp dụng khi thanh toán.',
  redeem_error: 'Chưa tạo được mã ưu đãi. Vui lòng thử lại.',
};
