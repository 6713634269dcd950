//! HTTP integration tests of the reference server. Every test runs on
//! SQLite and, when `DATABASE_URL_PG` is set (scripts/pg-test-cluster.sh
//! provides one), on PostgreSQL too — the same suite, the same code path.

mod harness;

mod activity;
mod admin_assets;
mod birthday;
mod bodies;
mod connect;
mod console;
mod console_kpis;
mod console_program;
mod console_referrals;
mod console_resend;
mod console_users;
mod crash;
mod faults;
mod fixtures;
mod group_commit;
mod identity;
mod injection;
mod ledger;
mod limits;
mod pg_restart;
mod platform_crash;
mod program_instances;
mod referral;
mod shopify;
mod signup;
mod simulation;
mod tamper;
mod vouchers;
mod woocommerce;
mod woocommerce_plugin;
