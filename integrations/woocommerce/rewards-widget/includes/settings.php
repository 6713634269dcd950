<?php
/**
 * Settings → Rewards widget: the rewards server's URL and the secret
 * shopper tokens are signed with. Every value is escaped where it is
 * printed (esc_html, esc_attr, esc_url) and sanitized where it is saved.
 *
 * @package RewardsWidget
 */

defined( 'ABSPATH' ) || exit;

/**
 * The server's base URL with a trailing slash, or '' when not set.
 *
 * @return string
 */
function rewards_widget_server_url() {
	$url = (string) get_option( 'rewards_widget_server_url', '' );
	return '' === $url ? '' : trailingslashit( $url );
}

/**
 * Sanitizes the server URL: http(s) only, no query or fragment.
 *
 * @param mixed $value As submitted.
 * @return string
 */
function rewards_widget_sanitize_url( $value ) {
	$url = esc_url_raw( trim( (string) $value ), array( 'https', 'http' ) );
	if ( '' !== $url && ( false !== strpos( $url, '?' ) || false !== strpos( $url, '#' ) ) ) {
		add_settings_error( 'rewards_widget_server_url', 'rewards_widget_url', __( 'The server URL must not have a query or a fragment.', 'rewards-widget' ) );
		return (string) get_option( 'rewards_widget_server_url', '' );
	}
	return '' === $url ? '' : trailingslashit( $url );
}

/**
 * Sanitizes the secret: kept as typed, at least 16 characters (the server
 * refuses shorter ones); an empty field keeps the saved secret.
 *
 * @param mixed $value As submitted.
 * @return string
 */
function rewards_widget_sanitize_secret( $value ) {
	$secret = trim( (string) $value );
	$saved  = (string) get_option( 'rewards_widget_token_secret', '' );
	if ( '' === $secret ) {
		return $saved;
	}
	if ( strlen( $secret ) < 16 ) {
		add_settings_error( 'rewards_widget_token_secret', 'rewards_widget_secret', __( 'The secret must have at least 16 characters, like the server’s REWARDS_MERCHANT_SECRET.', 'rewards-widget' ) );
		return $saved;
	}
	return $secret;
}

/** Registers the settings and their fields (admin_init). */
function rewards_widget_register_settings() {
	register_setting( 'rewards_widget', 'rewards_widget_server_url', array( 'type' => 'string', 'sanitize_callback' => 'rewards_widget_sanitize_url', 'default' => '' ) );
	register_setting( 'rewards_widget', 'rewards_widget_token_secret', array( 'type' => 'string', 'sanitize_callback' => 'rewards_widget_sanitize_secret', 'default' => '' ) );
	add_settings_section( 'rewards_widget_main', __( 'Rewards server', 'rewards-widget' ), '__return_false', 'rewards_widget' );
	add_settings_field( 'rewards_widget_server_url', __( 'Server URL', 'rewards-widget' ), 'rewards_widget_field_url', 'rewards_widget', 'rewards_widget_main', array( 'label_for' => 'rewards_widget_server_url' ) );
	add_settings_field( 'rewards_widget_token_secret', __( 'Shopper token secret', 'rewards-widget' ), 'rewards_widget_field_secret', 'rewards_widget', 'rewards_widget_main', array( 'label_for' => 'rewards_widget_token_secret' ) );
}
add_action( 'admin_init', 'rewards_widget_register_settings' );

/** The server URL field. */
function rewards_widget_field_url() {
	printf(
		'<input type="url" class="regular-text code" id="rewards_widget_server_url" name="rewards_widget_server_url" value="%1$s" placeholder="https://rewards.example/"><p class="description">%2$s</p>',
		esc_attr( (string) get_option( 'rewards_widget_server_url', '' ) ),
		esc_html__( 'Where rewards-server runs. The widget loads from there and the script tag is printed on every storefront page once this is set.', 'rewards-widget' )
	);
}

/** The secret field: never printed back into the page. */
function rewards_widget_field_secret() {
	$set = '' !== (string) get_option( 'rewards_widget_token_secret', '' );
	printf(
		'<input type="password" class="regular-text" id="rewards_widget_token_secret" name="rewards_widget_token_secret" value="" autocomplete="new-password" placeholder="%1$s"><p class="description">%2$s</p>',
		esc_attr( $set ? __( '(saved — type a new one to replace it)', 'rewards-widget' ) : '' ),
		esc_html__( 'The server’s REWARDS_MERCHANT_SECRET. It signs a one-hour token for a signed-in customer so the widget shows their own points; it stays on this server.', 'rewards-widget' )
	);
}

/** Settings → Rewards widget (admin_menu). */
function rewards_widget_menu() {
	add_options_page( __( 'Rewards widget', 'rewards-widget' ), __( 'Rewards widget', 'rewards-widget' ), 'manage_options', 'rewards-widget', 'rewards_widget_page' );
}
add_action( 'admin_menu', 'rewards_widget_menu' );

/** The settings page. */
function rewards_widget_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	$base = rewards_widget_server_url();
	echo '<div class="wrap"><h1>' . esc_html__( 'Rewards widget', 'rewards-widget' ) . '</h1><form method="post" action="options.php">';
	settings_fields( 'rewards_widget' );
	do_settings_sections( 'rewards_widget' );
	submit_button();
	echo '</form>';
	if ( '' !== $base ) {
		echo '<h2>' . esc_html__( 'Webhook', 'rewards-widget' ) . '</h2><p>' . esc_html__( 'In WooCommerce → Settings → Advanced → Webhooks, add one webhook for Order created and one for Order updated, with this delivery URL, API version WP REST API Integration v3, and the secret the server has as REWARDS_WOOCOMMERCE_WEBHOOK_SECRET:', 'rewards-widget' ) . '</p>';
		echo '<p><code>' . esc_html( $base . 'api/webhooks/woocommerce' ) . '</code></p>';
	}
	echo '</div>';
}
