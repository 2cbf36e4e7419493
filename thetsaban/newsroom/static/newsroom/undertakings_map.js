// The map of joint undertakings: a marker on every located LGU of each undertaking.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("undertakings-map-data").textContent);
  L.Icon.Default.imagePath = data.icons;
  var map = L.map("map");
  if (data.tiles) { L.tileLayer(data.tiles, {maxZoom: 18, attribution: data.attribution}).addTo(map); }
  var bounds = [];
  data.markers.forEach(function (m) {
    var popup = document.createElement("div");
    var strong = document.createElement("strong");
    strong.textContent = m.name + (m.lead ? " (" + data.lead_label + ")" : "");
    var link = document.createElement("a");
    link.href = m.url;
    link.textContent = m.undertaking;
    popup.appendChild(strong);
    popup.appendChild(document.createElement("br"));
    popup.appendChild(link);
    L.marker([m.lat, m.lon], {title: m.name, alt: m.name}).addTo(map).bindPopup(popup);
    bounds.push([m.lat, m.lon]);
  });
  if (bounds.length === 1) { map.setView(bounds[0], 12); } else { map.fitBounds(bounds, {padding: [20, 20]}); }
})();
