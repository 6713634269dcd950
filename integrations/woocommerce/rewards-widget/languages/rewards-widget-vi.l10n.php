<?php
/**
 * Vietnamese strings of the plugin (WordPress 6.5+ reads PHP translation files).
 *
 * @package RewardsWidget
 */

return array(
	'domain'   => 'rewards-widget',
	'locale'   => 'vi',
	'messages' => array(
		'Rewards widget'                   => 'Tiện ích tích điểm',
		'Rewards server'                   => 'Máy chủ tích điểm',
		'Server URL'                       => 'Địa chỉ máy chủ',
		'Shopper token secret'             => 'Khóa bí mật ký mã khách hàng',
		'Webhook'                          => 'Webhook',
		'The server URL must not have a query or a fragment.' => 'Địa chỉ máy chủ không được có phần truy vấn (?) hay phân đoạn (#).',
		'The secret must have at least 16 characters, like the server’s REWARDS_MERCHANT_SECRET.' => 'Khóa bí mật phải có ít nhất 16 ký tự, giống REWARDS_MERCHANT_SECRET của máy chủ.',
		'Where rewards-server runs. The widget loads from there and the script tag is printed on every storefront page once this is set.' => 'Nơi rewards-server chạy. Tiện ích được tải từ đó, và thẻ script được chèn vào mọi trang cửa hàng khi ô này có giá trị.',
		'(saved — type a new one to replace it)' => '(đã lưu — nhập khóa mới để thay)',
		'The server’s REWARDS_MERCHANT_SECRET. It signs a one-hour token for a signed-in customer so the widget shows their own points; it stays on this server.' => 'REWARDS_MERCHANT_SECRET của máy chủ. Khóa này ký một mã có hạn một giờ cho khách đã đăng nhập để tiện ích hiện đúng điểm của họ; khóa chỉ nằm trên máy chủ này.',
		'In WooCommerce → Settings → Advanced → Webhooks, add one webhook for Order created and one for Order updated, with this delivery URL, API version WP REST API Integration v3, and the secret the server has as REWARDS_WOOCOMMERCE_WEBHOOK_SECRET:' => 'Trong WooCommerce → Cài đặt → Nâng cao → Webhooks, thêm một webhook cho “Đơn hàng đã tạo” và một cho “Đơn hàng đã cập nhật”, với địa chỉ nhận dưới đây, phiên bản API “WP REST API Integration v3”, và khóa bí mật mà máy chủ có trong REWARDS_WOOCOMMERCE_WEBHOOK_SECRET:',
	),
);
