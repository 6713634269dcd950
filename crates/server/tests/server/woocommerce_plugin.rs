//! Issue 11, part 2 (the store side): the WordPress plugin in
//! `integrations/woocommerce/rewards-widget/`. Every PHP file passes
//! `php -l`, and the server accepts exactly the token the plugin's own
//! token function signs, run by Debian's php-cli (scripts/setup.sh installs it).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::*;
use crate::woocommerce::{deliver, fixture, start};

fn plugin() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../integrations/woocommerce/rewards-widget")
}

fn php(args: &[&str]) -> std::process::Output {
    Command::new("php")
        .args(args)
        .output()
        .expect("php-cli is needed for the plugin's tests: apt-get install -y php-cli (scripts/setup.sh)")
}

fn php_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            php_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "php") {
            out.push(p);
        }
    }
}

#[test]
fn issue_11_every_php_file_of_the_plugin_passes_php_lint() {
    let mut files = Vec::new();
    php_files(&plugin(), &mut files);
    assert!(files.len() >= 5, "{files:?}");
    for f in files {
        let out = php(&["-l", f.to_str().unwrap()]);
        assert!(out.status.success(), "{}: {}{}", f.display(), String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    }
}

/// `rewards_widget_shopper_token(secret, customer, now, ttl)` run by php-cli.
fn plugin_token(secret: &str, customer: &str, now_s: i64, ttl: i64) -> String {
    let file = plugin().join("includes/token.php");
    let code = "define('REWARDS_WIDGET_TEST', true); require $argv[1]; echo rewards_widget_shopper_token($argv[2], $argv[3], (int) $argv[4], (int) $argv[5]);";
    let (now, ttl) = (now_s.to_string(), ttl.to_string());
    let out = php(&["-r", code, "--", file.to_str().unwrap(), secret, customer, &now, &ttl]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn issue_11_the_server_accepts_exactly_the_token_the_woocommerce_plugin_signs() {
    each(|k| async move {
        let srv = start(&k, "us-apparel").await;
        // The order of WordPress user 7, delivered by WooCommerce.
        let r = deliver(&srv, "order.created", "d-plugin", &fixture("order-1041-processing-usd-coupon.json")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let points = r.json()["award"]["points"].as_i64().unwrap();
        let now_s = srv.now() / 1000;
        for customer in ["7", "70", "700"] {
            // Ids of every length modulo 3: base64 would pad two of them.
            let token = plugin_token(MERCHANT, customer, now_s, 3600);
            assert_eq!(token, rewards_server::token::sign(MERCHANT, customer, now_s + 3600), "the server's own format");
            assert!(!token.contains('='), "{token}");
        }
        let token = plugin_token(MERCHANT, "7", now_s, 3600);
        let s = srv.get("/api/shopper", &[("authorization", format!("Bearer {token}"))]).await;
        assert_eq!(s.status, 200, "{}", s.body);
        assert_eq!(s.json()["pending"].as_i64().unwrap() + s.json()["balance"].as_i64().unwrap(), points, "{}", s.body);
        // Expired, or signed with another secret: refused.
        for bad in [plugin_token(MERCHANT, "7", now_s, -1), plugin_token("not-the-servers-secret-0123", "7", now_s, 3600)] {
            assert_eq!(srv.get("/api/shopper", &[("authorization", format!("Bearer {bad}"))]).await.status, 401, "{bad}");
        }
    })
    .await;
}

/// `rewards_widget_print_script_tag()` (wp_head) run by php-cli with the few
/// WordPress functions it calls stubbed (`esc_url`/`esc_attr` as
/// `htmlspecialchars`): the tag a storefront page gets for `user`.
fn script_tag(server_url: &str, secret: &str, user: i64) -> String {
    let dir = plugin().join("includes");
    let code = r#"
define('ABSPATH', '/');
$GLOBALS['opts'] = array('rewards_widget_server_url' => $argv[2], 'rewards_widget_token_secret' => $argv[3]);
$GLOBALS['user'] = (int) $argv[4];
function add_action() {}
function add_filter() {}
function get_option($k, $d = '') { return $GLOBALS['opts'][$k] ?? $d; }
function get_current_user_id() { return $GLOBALS['user']; }
function is_admin() { return false; }
function trailingslashit($s) { return rtrim($s, '/\\') . '/'; }
function determine_locale() { return 'vi_VN'; }
function esc_url($s) { return htmlspecialchars($s, ENT_QUOTES); }
function esc_attr($s) { return htmlspecialchars($s, ENT_QUOTES); }
require $argv[1] . '/token.php';
require $argv[1] . '/settings.php';
require $argv[1] . '/script-tag.php';
rewards_widget_print_script_tag();
"#;
    let user = user.to_string();
    let out = php(&["-r", code, "--", dir.to_str().unwrap(), server_url, secret, &user]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn issue_11_the_plugin_prints_the_script_tag_with_a_token_only_for_a_signed_in_customer() {
    let url = "https://rewards.example";
    let guest = script_tag(url, MERCHANT, 0);
    assert_eq!(
        guest.trim(),
        r#"<script src="https://rewards.example/rewards.js" async data-config="https://rewards.example/api/program" data-api="https://rewards.example/" data-platform="woocommerce" data-locale="vi"></script>"#
    );
    let signed_in = script_tag(url, MERCHANT, 7);
    let token = signed_in.split("data-shopper-token=\"").nth(1).and_then(|t| t.split('"').next()).expect(&signed_in);
    let now_s = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert_eq!(rewards_server::token::verify(MERCHANT, token, now_s), Ok("7".to_string()), "{signed_in}");
    // No secret: no token; no server URL: no tag at all; what is printed is escaped.
    assert!(!script_tag(url, "", 7).contains("data-shopper-token"));
    assert_eq!(script_tag("", MERCHANT, 7), "");
    assert!(script_tag("https://rewards.example/\"><script>alert(1)</script>", MERCHANT, 0).contains("&quot;&gt;&lt;script&gt;"));
}
