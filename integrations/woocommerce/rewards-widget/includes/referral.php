<?php
/**
 * Carries a referral code to the order: the widget keeps the `?ref=` code
 * a shopper arrived with and, while the rewards engine says it still
 * counts, sets it as the first-party cookie `rewards_ref`. At checkout
 * (the classic form and the Store API's block checkout) this copies it to
 * the order's meta `rewards_ref`, which WooCommerce's order webhooks carry
 * in `meta_data`; the rewards server reads it from there, so a friend who
 * checks out as a guest is attributed. The server checks the code again
 * (unknown, own or late codes record nothing but a refusal).
 *
 * @package RewardsWidget
 */

defined( 'ABSPATH' ) || exit;

/** The cookie the widget sets and the order meta key the server reads. */
const REWARDS_WIDGET_REF = 'rewards_ref';

/**
 * The cookie's code, when it has a code's form (8 to 32 letters, digits,
 * spaces or hyphens: the server reads codes forgivingly); else ''.
 *
 * @return string
 */
function rewards_widget_referral_code() {
	if ( ! isset( $_COOKIE[ REWARDS_WIDGET_REF ] ) ) {
		return '';
	}
	$code = sanitize_text_field( wp_unslash( $_COOKIE[ REWARDS_WIDGET_REF ] ) );
	return preg_match( '/^[0-9A-Za-z -]{8,32}$/', $code ) ? $code : '';
}

/**
 * Copies the code to the order (before it is saved).
 *
 * @param WC_Order $order The order being created.
 */
function rewards_widget_referral_to_order( $order ) {
	$code = rewards_widget_referral_code();
	if ( '' !== $code && $order instanceof WC_Order && '' === (string) $order->get_meta( REWARDS_WIDGET_REF ) ) {
		$order->update_meta_data( REWARDS_WIDGET_REF, $code );
	}
}
// The classic checkout form.
add_action( 'woocommerce_checkout_create_order', 'rewards_widget_referral_to_order', 10, 1 );
// The block checkout (Store API); it saves the order after this action.
add_action( 'woocommerce_store_api_checkout_update_order_from_request', 'rewards_widget_referral_to_order', 10, 1 );
