<?php
/**
 * The widget's script tag in every storefront page's <head>, with a shopper
 * token for a signed-in customer.
 *
 * @package RewardsWidget
 */

defined( 'ABSPATH' ) || exit;

/**
 * The widget's language: the site's (or the user's) locale without its
 * region, `vi_VN` → `vi`.
 *
 * @return string
 */
function rewards_widget_locale() {
	$locale = function_exists( 'determine_locale' ) ? determine_locale() : get_locale();
	return strtolower( (string) strtok( $locale, '_' ) );
}

/** Prints the script tag (wp_head). Nothing until the server URL is set. */
function rewards_widget_print_script_tag() {
	$base = rewards_widget_server_url();
	if ( '' === $base || is_admin() ) {
		return;
	}
	$token  = '';
	$secret = (string) get_option( 'rewards_widget_token_secret', '' );
	$user   = get_current_user_id();
	if ( $user > 0 && '' !== $secret ) {
		$token = rewards_widget_shopper_token( $secret, (string) $user, time() );
	}
	printf(
		'<script src="%1$s" async data-config="%2$s" data-api="%3$s" data-platform="woocommerce" data-locale="%4$s"%5$s></script>' . "\n",
		esc_url( $base . 'rewards.js' ),
		esc_url( $base . 'api/program' ),
		esc_url( $base ),
		esc_attr( rewards_widget_locale() ),
		'' === $token ? '' : ' data-shopper-token="' . esc_attr( $token ) . '"'
	);
}
add_action( 'wp_head', 'rewards_widget_print_script_tag' );

/**
 * A page with a shopper token must not be cached for other visitors: a
 * signed-in customer's pages are not cached by WordPress's page caches,
 * and this says so to the rest (proxies, CDNs).
 */
function rewards_widget_no_shared_cache() {
	if ( get_current_user_id() > 0 && '' !== rewards_widget_server_url() && ! headers_sent() ) {
		header( 'Cache-Control: private, no-store' );
	}
}
add_action( 'send_headers', 'rewards_widget_no_shared_cache' );
