// The small map on an event's page: one marker where it takes place.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("event-map-data").textContent);
  L.Icon.Default.imagePath = data.icons;
  var map = L.map("map").setView([data.lat, data.lon], 14);
  if (data.tiles) { L.tileLayer(data.tiles, {maxZoom: 18, attribution: data.attribution}).addTo(map); }
  L.marker([data.lat, data.lon], {title: data.name, alt: data.name}).addTo(map).bindPopup(data.name);
})();
