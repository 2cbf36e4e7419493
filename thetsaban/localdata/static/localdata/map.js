// The indicator map: one circle per area at its centroid, sized by its value.
(function () {
  "use strict";
  var element = document.getElementById("map");
  var source = document.getElementById("localdata-map-data");
  if (!element || !source || typeof L === "undefined") { return; }
  var points = JSON.parse(source.textContent);
  var map = L.map(element).setView([13.0, 101.0], 5);
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, {maxZoom: 18, attribution: "&copy; OpenStreetMap contributors"}).addTo(map);
  }
  function text(value) { var span = document.createElement("span"); span.textContent = value; return span.innerHTML; }
  var largest = Math.max.apply(null, points.map(function (p) { return Math.abs(p.value); }).concat([1e-9]));
  var bounds = [];
  points.forEach(function (p) {
    var radius = 4 + 26 * Math.sqrt(Math.abs(p.value) / largest);
    L.circleMarker([p.lat, p.lng], {radius: radius, color: "#0b5d4b", fillColor: "#0b5d4b", fillOpacity: 0.35})
      .addTo(map).bindPopup("<strong>" + text(p.name) + "</strong><br>" + text(p.label) + " (" + p.reported + "/" + p.expected + ")")
      .bindTooltip(p.name);
    bounds.push([p.lat, p.lng]);
  });
  if (bounds.length > 1) { map.fitBounds(bounds, {padding: [30, 30], maxZoom: 9}); }
  element.dataset.circles = String(bounds.length);
}());
