<?php
/**
 * The shopper token rewards-server verifies (crates/server/src/token.rs):
 *
 *     base64url(customer id, no padding) "." expiry (Unix seconds) "." hex(HMAC-SHA256(secret, the first two parts))
 *
 * Plain PHP with no WordPress call, so the server's tests run this exact
 * function with php-cli and check that the server accepts what it signs.
 *
 * @package RewardsWidget
 */

defined( 'ABSPATH' ) || defined( 'REWARDS_WIDGET_TEST' ) || exit;

/** How long a token printed into a page stays valid: one hour. */
const REWARDS_WIDGET_TOKEN_TTL = 3600;

/**
 * Signs a token naming the customer.
 *
 * @param string $secret      The server's merchant secret (REWARDS_MERCHANT_SECRET).
 * @param string $customer_id The WordPress user id, as the order's customer_id says it.
 * @param int    $now         Unix seconds.
 * @param int    $ttl         Seconds the token lasts.
 * @return string
 */
function rewards_widget_shopper_token( $secret, $customer_id, $now, $ttl = REWARDS_WIDGET_TOKEN_TTL ) {
	// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- base64url is the token's format.
	$id   = rtrim( strtr( base64_encode( (string) $customer_id ), '+/', '-_' ), '=' );
	$head = $id . '.' . ( (int) $now + (int) $ttl );
	return $head . '.' . hash_hmac( 'sha256', $head, (string) $secret );
}
