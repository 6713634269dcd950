// The signup popup. A trigger (or the page, or the explainer's join
// button) asks; the core's popup_decision answers with the visitor's
// segment and the offer to show. The form asks only for what the merchant
// configured, with one UNTICKED box per consent purpose in the merchant's
// wording, and posts to the server (or the configured endpoint).

import { openDialog, focusFirst, signInLink } from './dialog.js';
import { en, vi } from './strings-popup.js';

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;


/** The widget's message for a field the server refused. */
const FIELD_ERRORS = { email: 'err_email', birthday: 'err_birthday' };

export function makePopup(u) {
  const { ctx } = u;
  u.addStrings({ en, vi });
  const { h, icon, ICONS } = ctx;
  let current = null;
  let shownThisPage = false;

  async function trigger(trigger) {
    if (current && current.isOpen()) return false;
    if (trigger !== 'manual' && shownThisPage) return false;
    const [engine, shopper, cart] = await Promise.all([u.engine(), u.shopper(), u.cart.now()]);
    const saved = ctx.store.get();
    const visit = ctx.store.visit();
    const signals = {
      path: u.path(),
      pages_viewed: Math.max(1, visit.pages),
      product_views: visit.products.length,
      signed_up: saved.signed_up === true || u.info.signed_up === true,
      trigger,
    };
    if (typeof saved.last_shown === 'number') signals.last_shown = saved.last_shown;
    if (typeof saved.ref === 'string' && typeof saved.ref_at === 'number') signals.referral = { code: saved.ref, at: saved.ref_at };
    let decision;
    try {
      decision = await engine.run('popup_decision', shopper, cart && cart.lines && cart.lines.length ? Object.assign({ cart }, signals) : signals);
    } catch (e) {
      // A cart the core refuses must not cost the visitor the offer.
      if (!signals.cart && !(cart && cart.lines && cart.lines.length)) throw e;
      decision = await engine.run('popup_decision', shopper, signals);
    }
    if (!decision.show || !decision.offer) return false;
    if (current && current.isOpen()) return false;
    shownThisPage = true;
    ctx.store.patch({ last_shown: Date.now() });
    show(decision, trigger);
    ctx.emit('popup:shown', { trigger, segment: decision.segment, offer: decision.offer.key, points: decision.points });
    return true;
  }

  function show(decision, trigger) {
    const { t, text, num } = u.i;
    const popup = ctx.cfg.popup || {};
    const fill = (s) => text(s).replace(/\{points\}/g, num(decision.points));
    const startedAt = Date.now();
    let succeeded = false;

    const title = h('h2', { id: 'rw-popup-title', class: 'rw-title', text: fill(decision.offer.title) });
    const body = h('p', { id: 'rw-popup-body', class: 'rw-lead', text: fill(decision.offer.body) });
    // A referred visitor: what the friend's link gives on joining.
    // (Unless the merchant wrote the "referred" segment's own offer.)
    const ref = decision.referral;
    const gift = ref && (ref.friend.points > 0 || ref.friend.voucher != null) ? [ref.friend.points > 0 ? u.i.points(ref.friend.points) : null, ref.friend.voucher != null ? t('ref_voucher', { amount: u.i.money(ref.friend.voucher) }) : null].filter(Boolean).join(' + ') : null;
    if (gift && decision.offer.key !== 'referred') body.append(h('span', { class: 'rw-ref', 'data-rw': 'referral-offer', text: ' ' + t('ref_friend', { gift }) }));
    const fields = [];
    const field = (name, type, label, mode, extra) => {
      const id = 'rw-f-' + name;
      const input = h('input', Object.assign({ id, name, type, 'aria-describedby': id + '-err', required: mode === 'required' }, extra));
      const err = h('p', { id: id + '-err', class: 'rw-err', hidden: true });
      const row = h('div', { class: 'rw-field' }, h('label', { for: id }, label, mode === 'optional' ? h('span', { class: 'rw-optional', text: ' ' + t('optional') }) : null), input, err);
      fields.push({ name, input, err, mode });
      return row;
    };
    const today = new Date().toISOString().slice(0, 10);
    const rows = [field('email', 'email', t('email'), 'required', { autocomplete: 'email', inputmode: 'email', spellcheck: 'false', 'data-autofocus': true })];
    if (popup.name_field !== 'hidden') rows.push(field('name', 'text', t('name'), popup.name_field, { autocomplete: 'name', maxlength: 100 }));
    if (popup.birthday_field !== 'hidden') {
      rows.push(field('birthday', 'date', t('birthday'), popup.birthday_field, { autocomplete: 'bday', min: '1900-01-01', max: today }));
    }
    const consents = (popup.consents || []).map((c, i) => {
      const id = 'rw-c-' + i;
      const box = h('input', { type: 'checkbox', id, 'aria-describedby': id + '-err', required: c.required === true });
      const err = h('p', { id: id + '-err', class: 'rw-err', hidden: true });
      const wording = text(c.text);
      return { c, box, err, wording, row: h('div', { class: 'rw-check' }, box, h('label', { for: id, text: wording }), err) };
    });
    // Honeypot: people never see it; simple bots fill every field.
    const trap = h('input', { type: 'text', name: 'website', tabindex: '-1', autocomplete: 'off' });
    const formError = h('div', { class: 'rw-form-err', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'rw-primary', text: text(decision.offer.cta) });
    const later = h('button', { type: 'button', class: 'rw-link', text: t('no_thanks'), on: { click: () => dialog.close('no_thanks') } });
    const form = h(
      'form',
      { class: 'rw-form', novalidate: true, on: { submit: ctx.guard((e) => (e.preventDefault(), send()), 'signup') } },
      rows,
      consents.length ? h('fieldset', { class: 'rw-consents' }, h('legend', { class: 'rw-sr', text: t('consents_legend') }), consents.map((x) => x.row)) : null,
      h('div', { class: 'rw-hp', 'aria-hidden': 'true' }, trap),
      formError,
      submit,
      later,
    );
    // An offer that is the paid membership (offer.membership): no form, the
    // button goes to the plan's join page, with what the cart would earn.
    const plan = ctx.cfg.membership;
    const member = decision.offer.membership && plan && plan.join_url ? membershipOffer(decision, plan, () => dialog.close('no_thanks'), () => (succeeded = true)) : null;
    const view = h('div', { class: 'rw-popup-body' }, h('div', { class: 'rw-badge' }, icon(ICONS.gift)), title, body, member || form);

    const dialog = openDialog(u, {
      cls: 'rw-popup',
      labelledBy: 'rw-popup-title',
      describedBy: 'rw-popup-body',
      content: view,
      onClose: (reason) => {
        if (!succeeded) ctx.emit('popup:dismissed', { trigger, reason, segment: decision.segment });
        if (current === dialog) current = null;
      },
    });
    current = dialog;
    // Keyboard and mouse users land in the email field; on touch screens
    // the dialog itself takes focus so no keyboard jumps up uninvited.
    if (matchMedia('(hover: none) and (pointer: coarse)').matches) {
      title.tabIndex = -1;
      title.focus();
    } else focusFirst(member || form);

    const setError = (f, msg) => {
      f.err.textContent = msg || '';
      f.err.hidden = !msg;
      const input = f.input || f.box;
      if (msg) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    };

    function validate() {
      let first = null;
      for (const f of fields) {
        const v = f.input.value.trim();
        let msg = '';
        if (f.mode === 'required' && !v) msg = f.name === 'email' ? t('err_email') : t('err_required');
        else if (f.name === 'email' && (!EMAIL.test(v) || v.length > 254)) msg = t('err_email');
        else if (f.name === 'birthday' && v && !(f.input.validity.valid && v >= '1900-01-01' && v <= today)) msg = t('err_birthday');
        setError(f, msg);
        if (msg && !first) first = f.input;
      }
      for (const x of consents) {
        const msg = x.c.required === true && !x.box.checked ? t('err_consent') : '';
        setError(x, msg);
        if (msg && !first) first = x.box;
      }
      return first;
    }

    async function send() {
      formError.hidden = true;
      const bad = validate();
      if (bad) {
        bad.focus();
        return;
      }
      const value = (name) => {
        const f = fields.find((x) => x.name === name);
        return f ? f.input.value.trim() : '';
      };
      const payload = {
        email: value('email'),
        locale: u.i.locale,
        page_url: location.href,
        consents: consents.filter((x) => x.box.checked).map((x) => ({ id: x.c.id, version: x.c.version, text: x.wording, granted: true })),
        hp: trap.value,
        started_at: startedAt,
      };
      if (value('name')) payload.name = value('name');
      if (value('birthday')) payload.birthday = value('birthday');
      if (ref) payload.referral_code = ref.code;
      submit.disabled = true;
      submit.setAttribute('aria-busy', 'true');
      submit.textContent = t('sending');
      let res = null;
      let out = null;
      try {
        res = await ctx.fetch(ctx.signupUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ctx.json(payload) });
        out = await res.json().catch(() => null);
      } catch {
        res = null;
      }
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
      submit.textContent = text(decision.offer.cta);
      if (res && res.ok && out && out.ok !== false) return success(out, payload);
      // The server's words are English and for developers: the shopper reads
      // the widget's own, in their language, by field and by error kind.
      const issues = (out && Array.isArray(out.issues) && out.issues) || [];
      let first = null;
      for (const issue of issues) {
        const path = String(issue.path || '');
        const consent = consents[Number((/^consents\[(\d+)\]/.exec(path) || [])[1])];
        const f = fields.find((x) => x.name === path) || consent;
        if (f) {
          setError(f, t(f === consent ? 'err_consent' : FIELD_ERRORS[f.name] || 'err_required'));
          first = first || f.input || f.box;
        }
      }
      const kind = out && typeof out.error === 'string' ? out.error : '';
      formError.textContent = !res ? t('err_network') : first ? t('err_form') : kind === 'rate_limited' ? t('err_rate_limited') : t('err_server');
      formError.hidden = false;
      if (!first) submit.textContent = t('retry');
      (first || submit).focus();
    }

    function success(out, payload) {
      succeeded = true;
      ctx.store.patch({ signed_up: true });
      u.info.signed_up = true;
      ctx.armPopup();
      // Every accepted signup gets the same answer (issue 14): it says
      // nothing about the address and lends no token, so everyone reads the
      // same words; the points show once the store signs the shopper in.
      const done = h('h2', { id: 'rw-popup-done', class: 'rw-title', tabindex: '-1', text: t('signin_title') });
      const closeBtn = h('button', { type: 'button', class: 'rw-link', text: t('close'), on: { click: () => dialog.close('success') } });
      view.replaceChildren(
        ...[h('div', { class: 'rw-badge rw-badge-ok' }, icon(ICONS.check)), done, h('p', { id: 'rw-popup-done-body', class: 'rw-lead', text: t('signin_body', { store: ctx.cfg.store.name }) }), signInLink(u), closeBtn].filter(Boolean),
      );
      dialog.dialog.setAttribute('aria-labelledby', 'rw-popup-done');
      dialog.dialog.setAttribute('aria-describedby', 'rw-popup-done-body');
      done.focus();
      ctx.emit('signup', { consents: payload.consents.map((c) => c.id), locale: payload.locale });
    }
  }

  /** The membership offer's what-if line, join link and "No thanks". */
  function membershipOffer(decision, plan, later, joined) {
    const { t, text } = u.i;
    const mo = decision.membership_offer;
    const what = mo
      ? h('p', { class: 'rw-muted', 'data-rw': 'membership-offer', 'data-value': mo.points, text: t('prompt_member', { plan: text(plan.name), points: u.i.points(mo.points), n: mo.points_without }) + (mo.trial_days > 0 ? t('prompt_member_trial', { n: mo.trial_days }) : '') })
      : null;
    const go = h('a', {
      class: 'rw-primary rw-join',
      href: plan.join_url,
      'data-rw': 'membership-join',
      'data-autofocus': true,
      text: text(decision.offer.cta),
      on: { click: () => (joined(), ctx.emit('popup:membership', { segment: decision.segment, points: mo ? mo.points : null })) },
    });
    return h('div', { class: 'rw-form' }, what, go, h('button', { type: 'button', class: 'rw-link', text: t('no_thanks'), on: { click: later } }));
  }

  return {
    trigger,
    close: () => current && current.close('api'),
  };
}
