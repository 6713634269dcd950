//! Issue 13, part 5: console users are added, given a new password and
//! removed — on the owner's page and by the CLI's functions — each
//! audited; a reset or a removal ends that user's sessions at once; the
//! last owner stays.

use rewards_server::http::console::audit::Actor;
use rewards_server::http::console::users;

use crate::console::{users as seed, Browser, OWNER, PASSWORD, STAFF};
use crate::harness::*;

const NEW: &str = "moi@cafe.vn";
const NEW_PASSWORD: &str = "mật khẩu mới thật dài";

#[tokio::test]
async fn issue_13_console_users_added_reset_and_removed_with_their_sessions_ended() {
    each(|k| async move {
        let srv = Srv::start(&k).await;
        seed(&srv).await;
        let mut owner = Browser::new(&srv);
        assert_eq!(owner.sign_in(OWNER, PASSWORD).await.status, 303);
        let page = owner.get("/console/users").await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("chu@cafe.vn (bạn)") && page.body.contains(STAFF), "{}", page.body);
        let csrf = page.field("csrf");

        // Refused: a short password, an email already there; nothing written.
        let short = owner
            .post("/console/users/add", &[("csrf", &csrf), ("email", NEW), ("role", "staff"), ("lang", "en"), ("password", "short")])
            .await;
        assert_eq!(short.status, 422);
        assert!(
            short.body.contains("Mật khẩu cần ít nhất 12 ký tự.") && short.body.contains(&format!("value=\"{NEW}\"")),
            "{}",
            short.body
        );
        let twice = owner
            .post("/console/users/add", &[("csrf", &csrf), ("email", STAFF), ("role", "staff"), ("lang", "en"), ("password", NEW_PASSWORD)])
            .await;
        assert_eq!(twice.status, 409);
        assert_eq!(srv.scalar("SELECT COUNT(*) FROM admin_users").await, 2);
        let forged = owner
            .post("/console/users/add", &[("csrf", "x"), ("email", NEW), ("role", "staff"), ("lang", "en"), ("password", NEW_PASSWORD)])
            .await;
        assert_eq!(forged.status, 403);

        // Added: they sign in at once, in their language.
        let added = owner
            .post("/console/users/add", &[("csrf", &csrf), ("email", NEW), ("role", "staff"), ("lang", "en"), ("password", NEW_PASSWORD)])
            .await;
        assert_eq!((added.status, added.location()), (303, "/console/users?done=added"));
        assert!(owner.get(added.location()).await.body.contains("Đã thêm người dùng."));
        let mut new = Browser::new(&srv);
        assert_eq!(new.sign_in(NEW, NEW_PASSWORD).await.status, 303);
        assert!(new.get("/console").await.body.contains("Signed in as moi@cafe.vn (staff)"));
        // Staff may not manage users.
        assert_eq!(new.get("/console/users").await.status, 403);

        // A new password: the old one and the open session end.
        let reset = owner.post("/console/users/reset", &[("csrf", &csrf), ("email", NEW), ("password", "một mật khẩu khác nữa")]).await;
        assert_eq!((reset.status, reset.location()), (303, "/console/users?done=reset"));
        assert_eq!(new.get("/console").await.location(), "/console/login?ended=1");
        assert_eq!(new.sign_in(NEW, NEW_PASSWORD).await.status, 401);
        assert_eq!(new.sign_in(NEW, "một mật khẩu khác nữa").await.status, 303);

        // Removed: unconfirmed first; then no session, no sign-in.
        assert_eq!(owner.post("/console/users/remove", &[("csrf", &csrf), ("email", NEW)]).await.status, 422);
        let removed = owner.post("/console/users/remove", &[("csrf", &csrf), ("email", NEW), ("confirm", "yes")]).await;
        assert_eq!((removed.status, removed.location()), (303, "/console/users?done=removed"));
        assert_eq!(new.get("/console").await.location(), "/console/login?ended=1");
        assert_eq!(new.sign_in(NEW, "một mật khẩu khác nữa").await.status, 401);
        assert!(!owner.get("/console/users").await.body.contains(NEW));

        // The last owner stays, on the page and from the CLI.
        let cli = Actor { user_id: None, name: "cli".into() };
        assert_eq!(users::remove(&srv.app.db, srv.now(), &cli, OWNER).await.unwrap_err(), users::Refusal::LastOwner);
        assert_eq!(users::remove(&srv.app.db, srv.now(), &cli, "nobody@cafe.vn").await.unwrap_err(), users::Refusal::NoSuchUser);
        // The CLI's reset, and adding a removed user back.
        users::reset_password(&srv.app.db, srv.now(), &cli, STAFF, NEW_PASSWORD).await.unwrap();
        let mut staff = Browser::new(&srv);
        assert_eq!(staff.sign_in(STAFF, NEW_PASSWORD).await.status, 303);
        users::add(
            &srv.app.db,
            srv.now(),
            &cli,
            NEW,
            rewards_server::http::console::auth::Role::Owner,
            rewards_server::http::console::i18n::Lang::Vi,
            NEW_PASSWORD,
        )
        .await
        .unwrap();
        assert_eq!(new.sign_in(NEW, NEW_PASSWORD).await.status, 303);
        assert!(new.get("/console").await.body.contains("moi@cafe.vn (chủ cửa hàng)"));

        for (action, n) in [("add_user", 4), ("reset_password", 2), ("remove_user", 1)] {
            assert_eq!(srv.scalar(&format!("SELECT COUNT(*) FROM admin_audit WHERE action = '{action}'")).await, n, "{action}");
        }
        assert_eq!(
            srv.scalar(
                "SELECT COUNT(*) FROM admin_audit WHERE action = 'remove_user' AND actor = 'chu@cafe.vn' AND target = 'moi@cafe.vn'"
            )
            .await,
            1
        );
    })
    .await;
}
