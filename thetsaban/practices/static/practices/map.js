// The practice map: one marker per LGU, popups linking to its practices.
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || typeof L === "undefined") { return; }
  var map = L.map(element).setView([13.0, 101.0], 5);
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, {
      maxZoom: 18,
      attribution: "&copy; OpenStreetMap contributors"
    }).addTo(map);
  }
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }
  fetch(element.dataset.source, {headers: {"Accept": "application/json"}})
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var counter = document.getElementById("map-count");
      var markers = data.markers || [];
      if (counter) { counter.textContent = markers.length ? " · " + data.count : " · " + element.dataset.empty; }
      var bounds = [];
      markers.forEach(function (m) {
        var items = m.practices.map(function (p) {
          return "<li><a href=\"" + encodeURI(p.url) + "\">" + text(p.title) + "</a></li>";
        }).join("");
        var more = m.count > m.practices.length ? "<p>+" + (m.count - m.practices.length) + " " + text(element.dataset.more) + "</p>" : "";
        var html = "<strong><a href=\"" + encodeURI(m.lgu_url) + "\">" + text(m.lgu) + "</a></strong><ul>" + items + "</ul>" + more;
        // The marker's name for screen readers and its tooltip: the LGU and its practices.
        var label = m.lgu + ": " + m.practices.map(function (p) { return p.title; }).join("; ") +
          (m.count > m.practices.length ? " (+" + (m.count - m.practices.length) + " " + element.dataset.more + ")" : "");
        L.marker([m.lat, m.lng], {title: label, alt: label}).addTo(map).bindPopup(html);
        bounds.push([m.lat, m.lng]);
      });
      if (bounds.length) { map.fitBounds(bounds, {padding: [30, 30], maxZoom: 12}); }
    });
}());
