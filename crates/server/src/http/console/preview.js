// The program editor's preview frame: the sample shopper and cart the
// server put on <main>, handed to the real widget; then the surface opened.
(function () {
  var main = document.getElementById('preview');
  if (!main || !window.Rewards) return;
  var shopper = JSON.parse(main.getAttribute('data-shopper'));
  var cart = JSON.parse(main.getAttribute('data-cart'));
  window.Rewards.push(['setShopper', shopper]);
  window.Rewards.push(['setCart', cart]);
  window.Rewards.push(['open', main.getAttribute('data-open')]);
})();
