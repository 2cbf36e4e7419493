// The public map of requests: points, or numbered clusters when there are many.
(function () {
  "use strict";
  var node = document.getElementById("eservice-map-data");
  if (!node || !window.L) { return; }
  var data = JSON.parse(node.textContent);
  L.Icon.Default.imagePath = data.icons;
  var map = L.map("map").setView([data.lat || 13.0, data.lon || 101.0], data.zoom || 5);
  if (data.tiles) { L.tileLayer(data.tiles, {maxZoom: 19, attribution: data.attribution}).addTo(map); }
  fetch(data.points).then(function (r) { return r.json(); }).then(function (body) {
    var bounds = [];
    body.points.forEach(function (p) {
      bounds.push([p.lat, p.lon]);
      if (body.clustered) {
        L.circleMarker([p.lat, p.lon], {radius: Math.min(30, 6 + Math.log(p.count) * 3)}).addTo(map).bindTooltip(String(p.count));
      } else {
        var link = document.createElement("a"); link.href = p.url; link.textContent = p.label;
        L.marker([p.lat, p.lon]).addTo(map).bindPopup(link);
      }
    });
    if (bounds.length) { map.fitBounds(bounds, {maxZoom: 16}); }
  });
})();
