//! The console's words in Vietnamese and English (the merchant's language,
//! chosen per admin user), and money and dates in that language. Every
//! string is a field of [`Words`], so a language missing one does not
//! compile. `{}` in a string is filled by [`fill`].

use rewards_core::money::Currency;
use rewards_core::time::format_instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first of `vi`/`en` an `Accept-Language` header names; Vietnamese otherwise.
    pub fn from_accept(header: &str) -> Lang {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .find_map(|tag| Lang::from_code(tag.trim().get(..2).unwrap_or("").to_ascii_lowercase().as_str()))
            .unwrap_or(Lang::Vi)
    }

    pub fn words(self) -> &'static Words {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }

    /// The language's own name, for the language switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Vi => "Tiếng Việt",
            Lang::En => "English",
        }
    }

    /// Minor units in this language: `355.000 ₫`, `12,50 USD` (vi); `355,000 VND`, `12.50 USD` (en).
    pub fn money(self, minor: i64, currency: Currency) -> String {
        let exp = u32::from(currency.exponent);
        let unit = 10u128.pow(exp);
        let m = i128::from(minor);
        let (whole, frac) = (m.unsigned_abs() / unit, m.unsigned_abs() % unit);
        let (group, point) = match self {
            Lang::Vi => ('.', ','),
            Lang::En => (',', '.'),
        };
        let mut out = String::from(if m < 0 { "−" } else { "" });
        out.push_str(&grouped(&whole.to_string(), group));
        if exp > 0 {
            out.push(point);
            out.push_str(&format!("{frac:0width$}", width = exp as usize));
        }
        let unit = if self == Lang::Vi && currency.code() == "VND" { "₫" } else { currency.code() };
        format!("{out} {unit}")
    }

    /// Points with the sign written out: `+26`, `−15`, grouped as money is.
    pub fn points(self, delta: i64) -> String {
        let text = self.number(delta.unsigned_abs() as i64);
        if delta < 0 {
            format!("−{text}")
        } else {
            format!("+{text}")
        }
    }

    /// A count grouped in this language: `1.250` (vi), `1,250` (en).
    pub fn number(self, n: i64) -> String {
        let group = if self == Lang::Vi { '.' } else { ',' };
        format!("{}{}", if n < 0 { "−" } else { "" }, grouped(&n.unsigned_abs().to_string(), group))
    }

    /// An instant (UTC) in this language: `03/12/2026 14:05 UTC` (vi), `3 Dec 2026, 14:05 UTC` (en).
    pub fn instant(self, ms: i64) -> String {
        let iso = format_instant(ms);
        let (y, mo, d, hm) = (&iso[0..4], &iso[5..7], &iso[8..10], &iso[11..16]);
        match self {
            Lang::Vi => format!("{d}/{mo}/{y} {hm} UTC"),
            Lang::En => {
                const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
                let month = MONTHS[mo.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1];
                format!("{} {month} {y}, {hm} UTC", d.trim_start_matches('0'))
            }
        }
    }

    /// A day (UTC) in this language: `03/12/2026` (vi), `3 Dec 2026` (en).
    pub fn day(self, ms: i64) -> String {
        let full = self.instant(ms);
        match self {
            Lang::Vi => full[..10].to_string(),
            Lang::En => full.split(',').next().unwrap_or("").to_string(),
        }
    }
}

/// `digits` with `sep` between each group of three from the right.
fn grouped(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `template` with each `{}` replaced by the next of `args`.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut parts = template.split("{}");
    out.push_str(parts.next().unwrap_or(""));
    for (i, part) in parts.enumerate() {
        out.push_str(args.get(i).copied().unwrap_or(""));
        out.push_str(part);
    }
    out
}

/// Every console string.
pub struct Words {
    pub console: &'static str,
    pub nav_members: &'static str,
    pub nav_audit: &'static str,
    pub nav_kpis: &'static str,
    pub signed_in_as: &'static str,
    pub role_owner: &'static str,
    pub role_staff: &'static str,
    pub sign_out: &'static str,
    pub language: &'static str,
    pub change: &'static str,
    pub skip: &'static str,
    // Sign-in and access.
    pub sign_in_title: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub sign_in_failed: &'static str,
    pub sign_in_limited: &'static str,
    pub session_ended: &'static str,
    pub form_expired: &'static str,
    pub owner_only: &'static str,
    pub not_found: &'static str,
    pub storage_error: &'static str,
    // Members list.
    pub search_label: &'static str,
    pub search: &'static str,
    pub recent_members: &'static str,
    pub results_for: &'static str,
    pub no_member: &'static str,
    pub customer_id: &'static str,
    pub shopper_id: &'static str,
    pub points: &'static str,
    pub tier: &'static str,
    pub joined: &'static str,
    pub not_joined: &'static str,
    // Member page.
    pub member: &'static str,
    pub name: &'static str,
    pub birthday: &'static str,
    pub balance: &'static str,
    pub pending: &'static str,
    pub tier_deadline: &'static str,
    pub no_tier: &'static str,
    pub no_deadline: &'static str,
    pub stamps: &'static str,
    pub stamps_of: &'static str,
    pub store_credit: &'static str,
    pub vouchers: &'static str,
    pub no_vouchers: &'static str,
    pub code: &'static str,
    pub value: &'static str,
    pub status: &'static str,
    pub issued: &'static str,
    pub voucher_unused: &'static str,
    pub voucher_used: &'static str,
    pub voucher_voided: &'static str,
    pub void: &'static str,
    pub void_reason: &'static str,
    pub voided_done: &'static str,
    pub voucher_already_used: &'static str,
    pub consents: &'static str,
    pub no_consents: &'static str,
    pub purpose: &'static str,
    pub answer: &'static str,
    pub agreed: &'static str,
    pub declined: &'static str,
    pub wording: &'static str,
    pub when: &'static str,
    pub history: &'static str,
    pub no_history: &'static str,
    pub change_col: &'static str,
    pub what: &'static str,
    pub available_from: &'static str,
    // Adjusting a balance.
    pub adjust: &'static str,
    pub adjust_points: &'static str,
    pub adjust_hint: &'static str,
    pub reason: &'static str,
    pub adjust_submit: &'static str,
    pub adjusted: &'static str,
    pub reason_required: &'static str,
    pub points_invalid: &'static str,
    pub would_go_negative: &'static str,
    // Erasure.
    pub erase: &'static str,
    pub erase_note: &'static str,
    pub erase_confirm: &'static str,
    pub erase_submit: &'static str,
    pub erase_unconfirmed: &'static str,
    pub erased_on: &'static str,
    pub erased_member: &'static str,
    // Audit log.
    pub audit_title: &'static str,
    pub who: &'static str,
    pub action: &'static str,
    pub target: &'static str,
    pub detail: &'static str,
    pub no_audit: &'static str,
    // Program editor.
    pub program_title: &'static str,
    pub nav_program: &'static str,
    pub check_preview: &'static str,
    pub publish: &'static str,
    pub published_as: &'static str,
    pub stale: &'static str,
    pub issues_found: &'static str,
    /// Above `validate::warnings`: allowed, publishable, but probably not meant.
    pub warnings_found: &'static str,
    pub whole_program: &'static str,
    pub changes_from_current: &'static str,
    pub no_changes: &'static str,
    pub changed_from_to: &'static str,
    pub added_value: &'static str,
    pub removed_value: &'static str,
    pub preview: &'static str,
    pub preview_needs_check: &'static str,
    pub preview_guest: &'static str,
    pub preview_member_of: &'static str,
    pub preview_member: &'static str,
    pub preview_explainer: &'static str,
    pub preview_popup: &'static str,
    pub versions: &'static str,
    pub in_force: &'static str,
    pub roll_back_to: &'static str,
    pub json_title: &'static str,
    pub export_json: &'static str,
    pub import_json: &'static str,
    pub add_item: &'static str,
    pub remove_item: &'static str,
    pub yes: &'static str,
    pub jump_to: &'static str,
    pub no: &'static str,
}

pub static EN: Words = Words {
    console: "Rewards console",
    nav_members: "Members",
    nav_audit: "Audit log",
    nav_kpis: "KPIs",
    signed_in_as: "Signed in as {} ({})",
    role_owner: "owner",
    role_staff: "staff",
    sign_out: "Sign out",
    language: "Language",
    change: "Change",
    skip: "Skip to content",
    sign_in_title: "Sign in to the rewards console",
    email: "Email",
    password: "Password",
    sign_in: "Sign in",
    sign_in_failed: "Wrong email or password.",
    sign_in_limited: "Too many sign-in attempts from this address. Try again in {} minutes.",
    session_ended: "Your session has ended. Sign in again.",
    form_expired: "This form has expired. Open the page again and retry.",
    owner_only: "Only the store owner can do this.",
    not_found: "There is no such member.",
    storage_error: "The database did not answer. Nothing was changed; try again.",
    search_label: "Email, customer id or shopper id",
    search: "Search",
    recent_members: "Newest members",
    results_for: "Members matching “{}”",
    no_member: "No member matches.",
    customer_id: "Customer id",
    shopper_id: "Shopper id",
    points: "Points",
    tier: "Tier",
    joined: "Joined",
    not_joined: "Not signed up (orders only)",
    member: "Member",
    name: "Name",
    birthday: "Birthday",
    balance: "Points available",
    pending: "Points pending",
    tier_deadline: "Tier kept until",
    no_tier: "No tier",
    no_deadline: "no deadline",
    stamps: "Stamps",
    stamps_of: "{} of {}",
    store_credit: "Store credit",
    vouchers: "Vouchers",
    no_vouchers: "No vouchers.",
    code: "Code",
    value: "Value",
    status: "Status",
    issued: "Issued",
    voucher_unused: "Not used yet",
    voucher_used: "Used by order {}",
    voucher_voided: "Voided: {}",
    void: "Void",
    void_reason: "Reason for voiding {}",
    voided_done: "Voucher {} voided; its points are back.",
    voucher_already_used: "Voucher {} was already used by order {}: it cannot be voided.",
    consents: "Consents",
    no_consents: "No consent recorded.",
    purpose: "Purpose",
    answer: "Answer",
    agreed: "Agreed",
    declined: "Declined",
    wording: "Exact wording shown",
    when: "When",
    history: "Points history",
    no_history: "No points yet.",
    change_col: "Change",
    what: "What",
    available_from: "Available from",
    adjust: "Adjust points",
    adjust_points: "Points",
    adjust_hint: "A whole number: 50 adds, -50 removes.",
    reason: "Reason (required, shown in the history)",
    adjust_submit: "Record the adjustment",
    adjusted: "Adjustment of {} points recorded.",
    reason_required: "Give a reason (1 to 200 characters).",
    points_invalid: "Enter a whole number of points other than 0, between -1,000,000,000 and 1,000,000,000.",
    would_go_negative: "Refused: the member has {} points available, so removing {} would leave a negative balance.",
    erase: "Erase this member",
    erase_note: "Removes the email, name, birthday and customer id. The points history stays, without the person, so the KPIs keep their totals. This cannot be undone.",
    erase_confirm: "I have the member's request and want to erase their personal data",
    erase_submit: "Erase personal data",
    erase_unconfirmed: "Tick the box to confirm the erasure.",
    erased_on: "Personal data erased on {} by {}.",
    erased_member: "(erased)",
    audit_title: "Audit log",
    who: "Who",
    action: "Action",
    target: "Target",
    detail: "Detail",
    no_audit: "Nothing recorded yet.",
    program_title: "Program",
    nav_program: "Program",
    check_preview: "Check and preview",
    publish: "Publish",
    published_as: "Published: version {} is in force now.",
    stale: "Not published: someone published version {} since you opened this form. What they changed is below; your edits are kept, check them against it and publish again.",
    issues_found: "{} problem(s) to fix before this can be published:",
    warnings_found: "This can be published, but probably does not do what you meant:",
    whole_program: "the program",
    changes_from_current: "Changes from the program in force",
    no_changes: "No changes from the program in force.",
    changed_from_to: "{} → {}",
    added_value: "added {}",
    removed_value: "removed (was {})",
    preview: "Preview",
    preview_needs_check: "Check the draft to see it in the preview.",
    preview_guest: "Guest",
    preview_member_of: "Member, {}",
    preview_member: "Member",
    preview_explainer: "explainer",
    preview_popup: "popup",
    versions: "Versions",
    in_force: "in force",
    roll_back_to: "Roll back to {}",
    json_title: "JSON file",
    export_json: "Download the program in force (program.json)",
    import_json: "Paste a program JSON file to check it and preview it",
    add_item: "Add another {}",
    remove_item: "Remove {}",
    yes: "yes",
    jump_to: "Jump to",
    no: "no",
};

pub static VI: Words = Words {
    console: "Bảng điều khiển tích điểm",
    nav_members: "Thành viên",
    nav_audit: "Nhật ký thao tác",
    nav_kpis: "Chỉ số",
    signed_in_as: "Đang đăng nhập: {} ({})",
    role_owner: "chủ cửa hàng",
    role_staff: "nhân viên",
    sign_out: "Đăng xuất",
    language: "Ngôn ngữ",
    change: "Đổi",
    skip: "Chuyển đến nội dung",
    sign_in_title: "Đăng nhập bảng điều khiển tích điểm",
    email: "Email",
    password: "Mật khẩu",
    sign_in: "Đăng nhập",
    sign_in_failed: "Sai email hoặc mật khẩu.",
    sign_in_limited: "Đăng nhập sai quá nhiều lần từ địa chỉ này. Vui lòng thử lại sau {} phút.",
    session_ended: "Phiên làm việc đã kết thúc. Vui lòng đăng nhập lại.",
    form_expired: "Biểu mẫu đã hết hạn. Hãy mở lại trang rồi thử lại.",
    owner_only: "Chỉ chủ cửa hàng mới làm được việc này.",
    not_found: "Không có thành viên này.",
    storage_error: "Cơ sở dữ liệu không phản hồi. Chưa có gì thay đổi; hãy thử lại.",
    search_label: "Email, mã khách hàng hoặc mã thành viên",
    search: "Tìm",
    recent_members: "Thành viên mới nhất",
    results_for: "Thành viên khớp với “{}”",
    no_member: "Không có thành viên nào khớp.",
    customer_id: "Mã khách hàng",
    shopper_id: "Mã thành viên",
    points: "Điểm",
    tier: "Hạng",
    joined: "Ngày tham gia",
    not_joined: "Chưa đăng ký (chỉ có đơn hàng)",
    member: "Thành viên",
    name: "Họ tên",
    birthday: "Ngày sinh",
    balance: "Điểm có thể dùng",
    pending: "Điểm đang chờ",
    tier_deadline: "Giữ hạng đến",
    no_tier: "Chưa có hạng",
    no_deadline: "không thời hạn",
    stamps: "Dấu tích lũy",
    stamps_of: "{} trên {}",
    store_credit: "Tiền hoàn",
    vouchers: "Phiếu giảm giá",
    no_vouchers: "Chưa có phiếu nào.",
    code: "Mã",
    value: "Giá trị",
    status: "Trạng thái",
    issued: "Ngày phát",
    voucher_unused: "Chưa dùng",
    voucher_used: "Đã dùng cho đơn {}",
    voucher_voided: "Đã hủy: {}",
    void: "Hủy phiếu",
    void_reason: "Lý do hủy phiếu {}",
    voided_done: "Đã hủy phiếu {}; điểm đã được hoàn lại.",
    voucher_already_used: "Phiếu {} đã được dùng cho đơn {}: không thể hủy.",
    consents: "Đồng ý nhận thông tin",
    no_consents: "Chưa ghi nhận sự đồng ý nào.",
    purpose: "Mục đích",
    answer: "Trả lời",
    agreed: "Đồng ý",
    declined: "Không đồng ý",
    wording: "Nội dung nguyên văn đã hiển thị",
    when: "Thời điểm",
    history: "Lịch sử điểm",
    no_history: "Chưa có điểm nào.",
    change_col: "Thay đổi",
    what: "Nội dung",
    available_from: "Dùng được từ",
    adjust: "Điều chỉnh điểm",
    adjust_points: "Số điểm",
    adjust_hint: "Số nguyên: 50 là cộng, -50 là trừ.",
    reason: "Lý do (bắt buộc, hiện trong lịch sử)",
    adjust_submit: "Ghi điều chỉnh",
    adjusted: "Đã ghi điều chỉnh {} điểm.",
    reason_required: "Hãy nhập lý do (1 đến 200 ký tự).",
    points_invalid: "Hãy nhập số điểm nguyên khác 0, từ -1.000.000.000 đến 1.000.000.000.",
    would_go_negative: "Bị từ chối: thành viên có {} điểm, trừ {} điểm sẽ làm số dư âm.",
    erase: "Xóa dữ liệu thành viên",
    erase_note: "Xóa email, họ tên, ngày sinh và mã khách hàng. Lịch sử điểm được giữ lại nhưng không còn gắn với người này, để các chỉ số giữ nguyên tổng. Không thể hoàn tác.",
    erase_confirm: "Tôi đã nhận yêu cầu của thành viên và muốn xóa dữ liệu cá nhân của họ",
    erase_submit: "Xóa dữ liệu cá nhân",
    erase_unconfirmed: "Hãy đánh dấu ô xác nhận trước khi xóa.",
    erased_on: "Dữ liệu cá nhân đã bị xóa lúc {} bởi {}.",
    erased_member: "(đã xóa)",
    audit_title: "Nhật ký thao tác",
    who: "Người thực hiện",
    action: "Thao tác",
    target: "Đối tượng",
    detail: "Chi tiết",
    no_audit: "Chưa có thao tác nào.",
    program_title: "Chương trình",
    nav_program: "Chương trình",
    check_preview: "Kiểm tra và xem trước",
    publish: "Xuất bản",
    published_as: "Đã xuất bản: phiên bản {} đang được áp dụng.",
    stale: "Chưa xuất bản: đã có người xuất bản phiên bản {} sau khi bạn mở biểu mẫu này. Những thay đổi của họ ở dưới; nội dung bạn sửa vẫn được giữ, hãy đối chiếu rồi xuất bản lại.",
    issues_found: "Cần sửa {} lỗi trước khi xuất bản:",
    warnings_found: "Có thể xuất bản, nhưng có lẽ chưa đúng ý bạn:",
    whole_program: "chương trình",
    changes_from_current: "Khác với chương trình đang áp dụng",
    no_changes: "Không khác chương trình đang áp dụng.",
    changed_from_to: "{} → {}",
    added_value: "thêm {}",
    removed_value: "bỏ (trước là {})",
    preview: "Xem trước",
    preview_needs_check: "Hãy kiểm tra bản nháp để xem trước.",
    preview_guest: "Khách",
    preview_member_of: "Thành viên hạng {}",
    preview_member: "Thành viên",
    preview_explainer: "giới thiệu",
    preview_popup: "cửa sổ mời",
    versions: "Các phiên bản",
    in_force: "đang áp dụng",
    roll_back_to: "Quay lại {}",
    json_title: "Tệp JSON",
    export_json: "Tải chương trình đang áp dụng (program.json)",
    import_json: "Dán tệp JSON chương trình để kiểm tra và xem trước",
    add_item: "Thêm một {}",
    remove_item: "Bỏ {}",
    yes: "có",
    jump_to: "Chuyển nhanh đến",
    no: "không",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_dates_follow_the_language() {
        let vnd = Currency::from_code("VND").unwrap();
        let usd = Currency::from_code("USD").unwrap();
        assert_eq!(Lang::Vi.money(355_000, vnd), "355.000 ₫");
        assert_eq!(Lang::En.money(355_000, vnd), "355,000 VND");
        assert_eq!(Lang::Vi.money(-1_250, usd), "−12,50 USD");
        assert_eq!(Lang::En.money(1_250, usd), "12.50 USD");
        // 2026-11-22T10:05:00Z
        let t = 1_795_341_900_000;
        assert_eq!(Lang::Vi.instant(t), "22/11/2026 10:05 UTC");
        assert_eq!(Lang::En.instant(t), "22 Nov 2026, 10:05 UTC");
        assert_eq!(Lang::En.day(t), "22 Nov 2026");
        assert_eq!(Lang::Vi.points(-1500), "−1.500");
        assert_eq!(Lang::En.points(26), "+26");
    }

    #[test]
    fn accept_language_picks_vi_or_en() {
        assert_eq!(Lang::from_accept("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_accept("fr-FR, vi;q=0.5"), Lang::Vi);
        assert_eq!(Lang::from_accept("fr"), Lang::Vi);
        assert_eq!(fill("{} of {}", &["3", "10"]), "3 of 10");
    }
}
