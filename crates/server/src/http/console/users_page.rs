//! The owner's "Console users" page (`/console/users`): who can sign in,
//! add one, set a new password for one (their sessions end), remove one.
//! The changes are `users`' (the CLI's too), audited with the owner's name.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::auth::{form, Console, Role, MIN_PASSWORD_CHARS};
use super::html::Html;
use super::i18n::{fill, Lang};
use super::layout;
use super::users::{self, Refusal};
use crate::http::extract::RawBody;
use crate::App;

pub struct UsersWords {
    pub nav: &'static str,
    title: &'static str,
    role: &'static str,
    language: &'static str,
    added_on: &'static str,
    you: &'static str,
    add_title: &'static str,
    password_hint: &'static str,
    add: &'static str,
    new_password: &'static str,
    reset: &'static str,
    remove: &'static str,
    remove_confirm: &'static str,
    done_added: &'static str,
    done_reset: &'static str,
    done_removed: &'static str,
    not_an_email: &'static str,
    short_password: &'static str,
    exists: &'static str,
    no_such_user: &'static str,
    last_owner: &'static str,
    unconfirmed: &'static str,
}

const EN: UsersWords = UsersWords {
    nav: "Console users",
    title: "Console users",
    role: "Role",
    language: "Language",
    added_on: "Added",
    you: "{} (you)",
    add_title: "Add a user",
    password_hint: "At least {} characters. Give it to the person yourself; they can be given a new one here.",
    add: "Add the user",
    new_password: "New password for {}",
    reset: "Set the new password",
    remove: "Remove {}",
    remove_confirm: "Yes, remove {}",
    done_added: "The user was added. They can sign in now.",
    done_reset: "The password was changed; that user's sessions have ended.",
    done_removed: "The user was removed; their sessions have ended.",
    not_an_email: "Enter an email address.",
    short_password: "The password needs at least {} characters.",
    exists: "There is a console user with this email already.",
    no_such_user: "There is no such console user.",
    last_owner: "This is the last owner: add another owner first.",
    unconfirmed: "Tick the box to confirm the removal.",
};

const VI: UsersWords = UsersWords {
    nav: "Người dùng",
    title: "Người dùng bảng điều khiển",
    role: "Vai trò",
    language: "Ngôn ngữ",
    added_on: "Ngày thêm",
    you: "{} (bạn)",
    add_title: "Thêm người dùng",
    password_hint: "Ít nhất {} ký tự. Hãy tự trao mật khẩu cho người đó; có thể đặt mật khẩu mới cho họ tại đây.",
    add: "Thêm người dùng",
    new_password: "Mật khẩu mới cho {}",
    reset: "Đặt mật khẩu mới",
    remove: "Xóa {}",
    remove_confirm: "Đồng ý xóa {}",
    done_added: "Đã thêm người dùng. Họ có thể đăng nhập ngay.",
    done_reset: "Đã đổi mật khẩu; các phiên đăng nhập của người đó đã kết thúc.",
    done_removed: "Đã xóa người dùng; các phiên đăng nhập của họ đã kết thúc.",
    not_an_email: "Hãy nhập một địa chỉ email.",
    short_password: "Mật khẩu cần ít nhất {} ký tự.",
    exists: "Đã có người dùng với email này.",
    no_such_user: "Không có người dùng này.",
    last_owner: "Đây là chủ cửa hàng cuối cùng: hãy thêm một chủ cửa hàng khác trước.",
    unconfirmed: "Hãy đánh dấu ô xác nhận để xóa.",
};

impl Lang {
    pub fn users_words(self) -> &'static UsersWords {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

fn refusal_text(lang: Lang, r: &Refusal) -> String {
    let u = lang.users_words();
    match r {
        Refusal::NotAnEmail => u.not_an_email.into(),
        Refusal::ShortPassword => fill(u.short_password, &[&MIN_PASSWORD_CHARS.to_string()]),
        Refusal::Exists => u.exists.into(),
        Refusal::NoSuchUser => u.no_such_user.into(),
        Refusal::LastOwner => u.last_owner.into(),
        Refusal::Storage(_) => lang.words().storage_error.into(),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct UsersQuery {
    done: Option<String>,
}

/// Which form a refusal belongs to, with its message and what was typed.
enum Problem {
    None,
    Add { message: String, email: String },
    Row { email: String, message: String },
}

pub async fn page(State(app): State<App>, console: Console, Query(q): Query<UsersQuery>) -> Response {
    render(&app, &console, q.done.as_deref(), Problem::None, StatusCode::OK).await
}

async fn render(app: &App, console: &Console, done: Option<&str>, problem: Problem, status: StatusCode) -> Response {
    if let Some(r) = console.owner_refusal() {
        return r;
    }
    let (lang, w, u) = (console.lang(), console.lang().words(), console.lang().users_words());
    let rows = match app.db.read().await {
        Ok(mut c) => crate::storage::users::list(&mut c).await,
        Err(e) => Err(e),
    };
    let rows = match rows {
        Ok(r) => r,
        Err(e) => return layout::storage_error(Some(console), lang, e),
    };
    let mut h = Html::new();
    h.el("<h1>", u.title, "</h1>");
    let ok = match done {
        Some("added") => Some(u.done_added),
        Some("reset") => Some(u.done_reset),
        Some("removed") => Some(u.done_removed),
        _ => None,
    };
    if let Some(text) = ok {
        h.el("<p class=\"ok\" role=\"status\">", text, "</p>");
    }
    h.lit("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"users-c\"><table class=\"stack-sm\"><caption id=\"users-c\">");
    h.text(u.title).lit("</caption><thead><tr>");
    for col in [w.email, u.role, u.language, u.added_on, w.action] {
        h.el("<th scope=\"col\">", col, "</th>");
    }
    h.lit("</tr></thead><tbody>");
    for (i, r) in rows.iter().enumerate() {
        let email = r.email.clone();
        let role = Role::from_code(&r.role).unwrap_or(Role::Staff);
        let locale = Lang::from_code(&r.locale).unwrap_or(Lang::Vi);
        let me = email == console.user.email;
        h.lit("<tr><td data-label=\"").text(w.email).lit("\">").text(&if me { fill(u.you, &[&email]) } else { email.clone() }).lit("</td>");
        h.lit("<td data-label=\"").text(u.role).lit("\">").text(role.label(lang)).lit("</td>");
        h.lit("<td data-label=\"").text(u.language).lit("\">").text(locale.name()).lit("</td>");
        h.lit("<td data-label=\"").text(u.added_on).lit("\">").text(&lang.day(r.created_at)).lit("</td><td>");
        if let Problem::Row { email: e, message } = &problem {
            if *e == email {
                h.el("<p class=\"field-error\" role=\"alert\">", message, "</p>");
            }
        }
        // A new password.
        h.lit("<form method=\"post\" action=\"/console/users/reset\" class=\"stack\">")
            .hidden("csrf", &console.csrf)
            .hidden("email", &email);
        h.lit("<label for=\"pw-").num(i as i64).lit("\">").text(&fill(u.new_password, &[&email])).lit("</label>");
        h.lit("<input id=\"pw-")
            .num(i as i64)
            .lit("\" name=\"password\" type=\"password\" autocomplete=\"new-password\" minlength=\"")
            .num(MIN_PASSWORD_CHARS as i64);
        h.lit("\" required><button type=\"submit\" class=\"secondary\">").text(u.reset).lit("</button></form>");
        if !me {
            h.lit("<form method=\"post\" action=\"/console/users/remove\" class=\"inline\">")
                .hidden("csrf", &console.csrf)
                .hidden("email", &email);
            h.lit("<label><input type=\"checkbox\" name=\"confirm\" value=\"yes\"> ")
                .text(&fill(u.remove_confirm, &[&email]))
                .lit("</label>");
            h.lit("<button type=\"submit\" class=\"danger\">").text(&fill(u.remove, &[&email])).lit("</button></form>");
        }
        h.lit("</td></tr>");
    }
    h.lit("</tbody></table></div>");
    add_form(&mut h, console, &problem);
    layout::page(Some(console), lang, u.title, h, status)
}

fn add_form(h: &mut Html, console: &Console, problem: &Problem) {
    let (lang, w, u) = (console.lang(), console.lang().words(), console.lang().users_words());
    let (message, typed) = match problem {
        Problem::Add { message, email } => (Some(message.as_str()), email.as_str()),
        _ => (None, ""),
    };
    h.lit("<section class=\"card\" aria-labelledby=\"add-user-h\"><h2 id=\"add-user-h\">").text(u.add_title).lit("</h2>");
    h.lit("<form method=\"post\" action=\"/console/users/add\" class=\"stack\">").hidden("csrf", &console.csrf);
    if let Some(m) = message {
        h.el("<p class=\"field-error\" id=\"add-user-error\" role=\"alert\">", m, "</p>");
    }
    h.lit("<label for=\"new-email\">")
        .text(w.email)
        .lit("</label><input id=\"new-email\" name=\"email\" type=\"email\" autocomplete=\"off\" required value=\"");
    h.text(typed).lit("\"");
    if message.is_some() {
        h.lit(" aria-describedby=\"add-user-error\" aria-invalid=\"true\"");
    }
    h.lit("><label for=\"new-role\">").text(u.role).lit("</label><select id=\"new-role\" name=\"role\">");
    for r in [Role::Staff, Role::Owner] {
        h.lit("<option value=\"").lit(r.code()).lit("\">").text(r.label(lang)).lit("</option>");
    }
    h.lit("</select><label for=\"new-lang\">").text(u.language).lit("</label><select id=\"new-lang\" name=\"lang\">");
    for l in Lang::ALL {
        h.lit("<option value=\"")
            .lit(l.code())
            .lit("\" lang=\"")
            .lit(l.code())
            .lit("\"")
            .lit(if l == lang { " selected" } else { "" })
            .lit(">");
        h.text(l.name()).lit("</option>");
    }
    h.lit("</select><label for=\"new-password\">").text(w.password).lit("</label>");
    h.el("<p class=\"hint\" id=\"new-password-hint\">", &fill(u.password_hint, &[&MIN_PASSWORD_CHARS.to_string()]), "</p>");
    h.lit("<input id=\"new-password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required aria-describedby=\"new-password-hint\">");
    h.lit("<button type=\"submit\">").text(u.add).lit("</button></form></section>");
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AddForm {
    csrf: String,
    email: String,
    role: String,
    lang: String,
    password: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ResetForm {
    csrf: String,
    email: String,
    password: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RemoveForm {
    csrf: String,
    email: String,
    confirm: Option<String>,
}

fn expired(console: &Console) -> Response {
    layout::message(Some(console), console.lang(), StatusCode::UNPROCESSABLE_ENTITY, console.lang().words().form_expired)
}

fn status_of(r: &Refusal) -> StatusCode {
    match r {
        Refusal::Exists | Refusal::LastOwner => StatusCode::CONFLICT,
        Refusal::NoSuchUser => StatusCode::NOT_FOUND,
        Refusal::Storage(_) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// The forms' common start: the form decoded, CSRF and the owner checked.
fn checked<T: serde::de::DeserializeOwned>(console: &Console, body: &[u8], csrf: impl Fn(&T) -> &str) -> Result<T, Box<Response>> {
    let f = form::<T>(body).ok_or_else(|| Box::new(expired(console)))?;
    if let Some(r) = console.csrf_refusal(csrf(&f)).or_else(|| console.owner_refusal()) {
        return Err(Box::new(r));
    }
    Ok(f)
}

pub async fn add(State(app): State<App>, console: Console, RawBody(body): RawBody) -> Response {
    let f = match checked::<AddForm>(&console, &body, |f| &f.csrf) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let (Some(role), Some(lang)) = (Role::from_code(&f.role), Lang::from_code(&f.lang)) else { return expired(&console) };
    match users::add(&app.db, app.clock.now(), &console.actor(), &f.email, role, lang, &f.password).await {
        Ok(_) => Redirect::to("/console/users?done=added").into_response(),
        Err(r) => {
            let problem = Problem::Add { message: refusal_text(console.lang(), &r), email: f.email.clone() };
            render(&app, &console, None, problem, status_of(&r)).await
        }
    }
}

pub async fn reset(State(app): State<App>, console: Console, RawBody(body): RawBody) -> Response {
    let f = match checked::<ResetForm>(&console, &body, |f| &f.csrf) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    match users::reset_password(&app.db, app.clock.now(), &console.actor(), &f.email, &f.password).await {
        // The owner's own new password ends their session too: sign in again.
        Ok(_) if f.email.trim().eq_ignore_ascii_case(&console.user.email) => Redirect::to("/console/login").into_response(),
        Ok(_) => Redirect::to("/console/users?done=reset").into_response(),
        Err(r) => {
            let problem = Problem::Row { email: f.email.trim().to_lowercase(), message: refusal_text(console.lang(), &r) };
            render(&app, &console, None, problem, status_of(&r)).await
        }
    }
}

pub async fn remove(State(app): State<App>, console: Console, RawBody(body): RawBody) -> Response {
    let f = match checked::<RemoveForm>(&console, &body, |f| &f.csrf) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let email = f.email.trim().to_lowercase();
    if f.confirm.as_deref() != Some("yes") {
        let problem = Problem::Row { email, message: console.lang().users_words().unconfirmed.into() };
        return render(&app, &console, None, problem, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match users::remove(&app.db, app.clock.now(), &console.actor(), &email).await {
        Ok(_) => Redirect::to("/console/users?done=removed").into_response(),
        Err(r) => {
            let problem = Problem::Row { email, message: refusal_text(console.lang(), &r) };
            render(&app, &console, None, problem, status_of(&r)).await
        }
    }
}
