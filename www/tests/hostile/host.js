// The host page's own script, shared by every hostile fixture page: a
// button that counts clicks (the "host page still works" check) and the
// page's cart handed to the widget the documented way. No globals of its
// own: the matrix counts the globals the widget adds.
(function () {
  var CART = {
    currency: 'USD',
    lines: [
      { id: 'socks', product_id: 'merino-hiker-sock', product_type: 'Socks', quantity: 2, unit_price: 1800 },
      { id: 'tee', product_id: 'trail-tee', product_type: 'Shirts', quantity: 1, unit_price: 3500 },
    ],
  };
  document.addEventListener('click', function (e) {
    var b = e.target && e.target.closest && e.target.closest('#host-btn');
    if (!b) return;
    e.preventDefault();
    var out = document.getElementById('host-count');
    out.textContent = String(Number(out.textContent) + 1);
  });
  // The cart goes to the widget the documented ways: from the `rewards:ready`
  // event (the page makes no Rewards global itself), or, with
  // data-cart="queue" on this tag, through the command queue.
  var queue = document.currentScript && document.currentScript.dataset.cart === 'queue';
  if (queue) {
    window.Rewards = window.Rewards || [];
    window.Rewards.push(['setCart', CART]);
  } else {
    window.addEventListener('rewards:ready', function () {
      window.Rewards.setCart(CART);
    });
  }
})();
