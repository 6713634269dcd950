//! The program editor's labels: each key of the program document in
//! Vietnamese and English, in one table. The form (`program_form`) shows
//! the label with the key's path beside it (the path is what `check-config`
//! and the JSON file say); a key missing here shows as itself. A test
//! checks that every property of docs/program.schema.json has a label.

use super::i18n::Lang;

/// (key, Vietnamese, English).
const LABELS: &[(&str, &str, &str)] = &[
    ("$schema", "Lược đồ (schema)", "Schema"),
    ("actions", "Điểm thưởng cho hành động", "Bonus actions"),
    ("billing", "Chu kỳ thanh toán", "Billing"),
    ("birthday", "Sinh nhật", "Birthday"),
    ("birthday_field", "Hỏi ngày sinh", "Ask for the birthday"),
    ("body", "Nội dung", "Body text"),
    ("bouncer", "Khách rời ngay", "Bouncer"),
    ("browser", "Trình duyệt", "Browser"),
    ("carry_over", "Chuyển dấu dư sang thẻ mới", "Carry over extra stamps"),
    ("cart_abandoner", "Khách bỏ giỏ hàng", "Cart abandoner"),
    ("cashback", "Hoàn tiền", "Cashback"),
    ("collections", "Bộ sưu tập", "Collections"),
    ("combine", "Cách kết hợp", "How they combine"),
    ("consents", "Nội dung đồng ý", "Consents"),
    ("cooldown_days", "Số ngày chờ giữa hai lần hiện", "Days before showing again"),
    ("cta", "Nút kêu gọi", "Button text"),
    ("currency", "Đơn vị tiền tệ", "Currency"),
    ("days", "Số ngày", "Days"),
    ("default", "Mặc định", "Default"),
    ("default_locale", "Ngôn ngữ mặc định", "Default language"),
    ("delay_seconds", "Chờ (giây)", "Delay (seconds)"),
    ("description", "Mô tả", "Description"),
    ("earning", "Tích điểm", "Earning"),
    ("eligible", "Áp dụng cho", "Eligible"),
    ("enabled", "Bật", "On"),
    ("every_days", "Mỗi bao nhiêu ngày", "Every (days)"),
    ("exclude", "Không tính điểm", "Excluded"),
    ("exclude_paths", "Trang không hiện", "Pages where it never shows"),
    ("exit_intent", "Khi sắp rời trang", "Exit intent"),
    ("exit_sensitivity_px", "Độ nhạy khi rời trang (px)", "Exit sensitivity (px)"),
    ("expiry_days", "Hết hạn sau (ngày)", "Expires after (days)"),
    ("expiry_months_inactive", "Điểm hết hạn sau (tháng không mua)", "Points expire after (months without an order)"),
    ("fee", "Phí", "Fee"),
    ("first_time_buyer_high", "Khách mua lần đầu, đơn lớn", "First-time buyer, large order"),
    ("first_time_buyer_low", "Khách mua lần đầu, đơn nhỏ", "First-time buyer, small order"),
    ("friend_reward_on", "Thưởng người giới thiệu khi", "Reward the referrer on"),
    ("friend_voucher", "Phiếu cho bạn được giới thiệu", "Friend's voucher"),
    ("high_value_order", "Ngưỡng đơn lớn", "Large order from"),
    ("id", "Mã định danh", "Id"),
    ("idle_seconds", "Không thao tác (giây)", "Idle (seconds)"),
    ("increment", "Bước tăng", "Increment"),
    ("join_url", "Đường dẫn đăng ký gói", "Join link"),
    ("kind", "Loại", "Kind"),
    ("levels", "Các hạng", "Levels"),
    ("lifecycle", "Vòng đời điểm", "Points lifecycle"),
    ("limit", "Giới hạn", "Limit"),
    ("link_base", "Địa chỉ gốc của liên kết", "Link base URL"),
    ("locales", "Các ngôn ngữ", "Languages"),
    ("max_discount", "Giảm tối đa", "Largest discount"),
    ("max_points", "Số điểm tối đa", "Most points"),
    ("max_points_per_order", "Điểm tối đa mỗi đơn", "Most points per order"),
    ("max_stamps_per_order", "Dấu tối đa mỗi đơn", "Most stamps per order"),
    ("member", "Thành viên", "Member"),
    ("members_only", "Chỉ cho thành viên", "Members only"),
    ("membership", "Gói thành viên trả phí", "Paid membership"),
    ("metric", "Tính theo", "Measured by"),
    ("min_cart", "Giỏ hàng tối thiểu", "Smallest cart"),
    ("min_points", "Số điểm tối thiểu", "Fewest points"),
    ("minimum_line_amount", "Giá trị dòng tối thiểu", "Smallest line amount"),
    ("minimum_order", "Đơn tối thiểu", "Smallest order"),
    ("mobile_back", "Nút quay lại trên điện thoại", "Back button on phones"),
    ("mobile_scroll_up", "Cuộn lên trên điện thoại", "Scrolling up on phones"),
    ("multiplier", "Hệ số nhân điểm", "Points multiplier"),
    ("multipliers", "Nhân điểm", "Multipliers"),
    ("name", "Tên", "Name"),
    ("name_field", "Hỏi họ tên", "Ask for the name"),
    ("notice_days", "Báo trước (ngày)", "Notice (days)"),
    ("offers", "Ưu đãi", "Offers"),
    ("passive_browser", "Khách chỉ xem", "Passive browser"),
    ("passive_browser_views", "Số trang đã xem", "Pages viewed"),
    ("pending_days", "Điểm chờ (ngày)", "Points pending for (days)"),
    ("per", "Mỗi", "Per"),
    ("percent", "Phần trăm", "Percent"),
    ("period", "Chu kỳ", "Period"),
    ("perks", "Quyền lợi", "Perks"),
    ("points", "Điểm", "Points"),
    ("points_per_step", "Điểm mỗi bước", "Points per step"),
    ("popup", "Cửa sổ mời đăng ký", "Signup popup"),
    ("product_id", "Mã sản phẩm", "Product id"),
    ("product_ids", "Mã sản phẩm", "Product ids"),
    ("product_types", "Loại sản phẩm", "Product types"),
    ("punch_card", "Thẻ tích dấu", "Punch card"),
    ("redemptions", "Đổi điểm", "Redemptions"),
    ("referral", "Giới thiệu bạn bè", "Refer a friend"),
    ("referred", "Bạn được giới thiệu", "Referred friend"),
    ("referrer_cap", "Giới hạn thưởng người giới thiệu", "Referrer's cap"),
    ("remember_days", "Ghi nhớ (ngày)", "Remembered for (days)"),
    ("repeat_buyer", "Khách mua lại", "Repeat buyer"),
    ("required", "Bắt buộc", "Required"),
    ("retention", "Giữ hạng", "Keeping the tier"),
    ("reward", "Phần thưởng", "Reward"),
    ("rewards", "Phần thưởng", "Rewards"),
    ("rounding", "Làm tròn", "Rounding"),
    ("scroll_percent", "Cuộn trang (%)", "Scrolled (%)"),
    ("sign_in_url", "Địa chỉ trang đăng nhập", "Sign-in page URL"),
    ("skus", "Mã SKU", "SKUs"),
    ("stamps_required", "Số dấu cần có", "Stamps required"),
    ("step", "Số tiền mỗi bước", "Amount per step"),
    ("store", "Cửa hàng", "Store"),
    ("tab_return", "Khi quay lại thẻ", "Returning to the tab"),
    ("tags", "Thẻ (tag)", "Tags"),
    ("text", "Nội dung", "Text"),
    ("texts", "Chữ trên tiện ích", "Widget texts"),
    ("threshold", "Ngưỡng", "Threshold"),
    ("tiers", "Hạng thành viên", "Tiers"),
    ("time_zone", "Múi giờ", "Time zone"),
    ("title", "Tiêu đề", "Title"),
    ("trial_days", "Dùng thử (ngày)", "Free trial (days)"),
    ("triggers", "Khi nào hiện", "When it shows"),
    ("url", "Địa chỉ", "URL"),
    ("value", "Giá trị", "Value"),
    ("variant_ids", "Mã biến thể", "Variant ids"),
    ("version", "Phiên bản", "Version"),
    ("vi", "Tiếng Việt", "Vietnamese"),
    ("en", "Tiếng Anh", "English"),
];

/// The label of a key of the program document, or the key itself.
pub fn label(key: &str, lang: Lang) -> &str {
    LABELS.iter().find(|(k, _, _)| *k == key).map_or(key, |(_, vi, en)| match lang {
        Lang::Vi => vi,
        Lang::En => en,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn properties(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::Object(p)) = m.get("properties") {
                    out.extend(p.keys().cloned());
                }
                m.values().for_each(|c| properties(c, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|c| properties(c, out)),
            _ => {}
        }
    }

    #[test]
    fn every_schema_property_has_a_label_in_both_languages() {
        let text = include_str!("../../../../../docs/program.schema.json");
        let mut keys = Vec::new();
        properties(&serde_json::from_str(text).unwrap(), &mut keys);
        assert!(keys.len() > 100);
        let missing: Vec<&String> = keys.iter().filter(|k| !LABELS.iter().any(|(l, _, _)| l == k)).collect();
        assert!(missing.is_empty(), "no label for {missing:?}");
        for (k, vi, en) in LABELS {
            assert!(!vi.is_empty() && !en.is_empty() && vi != k, "{k}");
        }
        assert_eq!(label("step", Lang::Vi), "Số tiền mỗi bước");
        assert_eq!(label("no-such-key", Lang::En), "no-such-key");
    }
}
