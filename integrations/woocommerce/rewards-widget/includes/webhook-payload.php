<?php
/**
 * Adds each order line's product tag and category slugs to the order
 * webhooks delivered to the rewards server (`rewards_widget: {tags,
 * categories}`), so the server's award reads the same tags and collections
 * the widget's preview reads from the Store API. WooCommerce applies this
 * filter before it encodes and signs the body.
 *
 * @package RewardsWidget
 */

defined( 'ABSPATH' ) || exit;

/**
 * The `woocommerce_webhook_payload` filter.
 *
 * @param mixed  $payload     The REST order object, as an array.
 * @param string $resource    The webhook's resource (`order`, `product`, …).
 * @param mixed  $resource_id The order id.
 * @param int    $webhook_id  The webhook.
 * @return mixed
 */
function rewards_widget_webhook_payload( $payload, $resource, $resource_id, $webhook_id ) {
	$base = rewards_widget_server_url();
	if ( 'order' !== $resource || '' === $base || ! is_array( $payload ) || empty( $payload['line_items'] ) ) {
		return $payload;
	}
	$webhook = wc_get_webhook( $webhook_id );
	if ( ! $webhook || 0 !== strpos( $webhook->get_delivery_url(), $base ) ) {
		return $payload; // Another service's webhook: its payload stays WooCommerce's own.
	}
	foreach ( $payload['line_items'] as $i => $line ) {
		$product = isset( $line['product_id'] ) ? absint( $line['product_id'] ) : 0;
		if ( $product <= 0 ) {
			continue;
		}
		$payload['line_items'][ $i ]['rewards_widget'] = array(
			'tags'       => rewards_widget_slugs( $product, 'product_tag' ),
			'categories' => rewards_widget_slugs( $product, 'product_cat' ),
		);
	}
	return $payload;
}
add_filter( 'woocommerce_webhook_payload', 'rewards_widget_webhook_payload', 10, 4 );

/**
 * A product's term slugs in one taxonomy.
 *
 * @param int    $product  Product id (a variation's parent).
 * @param string $taxonomy `product_tag` or `product_cat`.
 * @return string[]
 */
function rewards_widget_slugs( $product, $taxonomy ) {
	$slugs = wp_get_post_terms( $product, $taxonomy, array( 'fields' => 'slugs' ) );
	return is_array( $slugs ) ? array_values( array_map( 'strval', $slugs ) ) : array();
}
