<?php
/**
 * Plugin Name:       Rewards widget
 * Description:       The rewards widget on your WooCommerce store: points, tiers and the punch card in the cart and at checkout, the shopper's own balance for signed-in customers. Orders reach the rewards server through WooCommerce's webhooks.
 * Version:           0.1.0
 * Requires at least: 6.5
 * Requires PHP:      7.4
 * Text Domain:       rewards-widget
 * Domain Path:       /languages
 * License:           MIT
 *
 * @package RewardsWidget
 */

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/includes/token.php';
require_once __DIR__ . '/includes/settings.php';
require_once __DIR__ . '/includes/script-tag.php';
require_once __DIR__ . '/includes/webhook-payload.php';
require_once __DIR__ . '/includes/referral.php';

/** Vietnamese and English (languages/rewards-widget-vi.l10n.php, WordPress 6.5's PHP translation files). */
function rewards_widget_load_textdomain() {
	load_plugin_textdomain( 'rewards-widget', false, dirname( plugin_basename( __FILE__ ) ) . '/languages' );
}
add_action( 'init', 'rewards_widget_load_textdomain' );
