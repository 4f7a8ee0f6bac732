// Suggestions as you type for the search box (progressive enhancement: the form works as a plain GET without it).
(function () {
  'use strict';
  var inputs = document.querySelectorAll('input[name="q"][type="search"]');
  Array.prototype.forEach.call(inputs, function (input, n) {
    var listId = 'q-suggest-' + n;
    var list = document.createElement('ul');
    list.id = listId;
    list.className = 'suggest-list';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', listId);
    // The list drops down from under the box: a positioned wrapper around the input (without it the absolutely
    // placed list sat on top of the input in the flex form and hid what was being typed).
    var wrap = document.createElement('span');
    wrap.className = 'suggest-wrap';
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(list);
    var timer = 0;
    var active = -1;
    var seq = 0;
    function close() { list.hidden = true; input.setAttribute('aria-expanded', 'false'); active = -1; input.removeAttribute('aria-activedescendant'); }
    function pick(text) { input.value = text; close(); if (input.form) input.form.submit(); }
    function mark(i) {
      var items = list.children;
      if (!items.length) return;
      active = (i + items.length) % items.length;
      Array.prototype.forEach.call(items, function (li, k) { li.setAttribute('aria-selected', k === active ? 'true' : 'false'); });
      input.setAttribute('aria-activedescendant', items[active].id);
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { close(); return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch('/api/v1/search/suggest?limit=8&q=' + encodeURIComponent(q), { headers: { accept: 'application/json' } })
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) {
            if (mine !== seq) return;
            list.textContent = '';
            (data.suggestions || []).forEach(function (s, k) {
              var li = document.createElement('li');
              li.id = listId + '-' + k;
              li.setAttribute('role', 'option');
              li.textContent = s.text;
              li.addEventListener('mousedown', function (e) { e.preventDefault(); pick(s.text); });
              list.appendChild(li);
            });
            if (list.children.length) { list.hidden = false; input.setAttribute('aria-expanded', 'true'); } else close();
          })
          .catch(close);
      }, 150);
    });
    input.addEventListener('keydown', function (e) {
      if (list.hidden) return;
      if (e.key === 'ArrowDown') { e.preventDefault(); mark(active + 1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); mark(active - 1); }
      else if (e.key === 'Escape') { close(); }
      else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); pick(list.children[active].textContent); }
    });
    input.addEventListener('blur', function () { setTimeout(close, 100); });
  });
})();
