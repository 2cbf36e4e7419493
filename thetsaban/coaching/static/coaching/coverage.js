// The coverage map: one circle per region, sized by its municipalities, coloured by the target.
(function () {
  "use strict";
  var element = document.getElementById("map");
  var source = document.getElementById("coverage-data");
  if (!element || !source || typeof L === "undefined") { return; }
  var regions = JSON.parse(source.textContent);
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
  var largest = Math.max.apply(null, regions.map(function (r) { return r.municipalities; }).concat([1]));
  var bounds = [];
  regions.forEach(function (r) {
    var radius = 8 + 32 * Math.sqrt(r.municipalities / largest);
    var colour = r.meets_target ? "#0b5d4b" : "#a4441a";
    var ratio = r.ratio === null ? "–" : r.ratio.toFixed(2);
    var html = "<strong>" + text(r.name) + "</strong>" + (r.centre ? "<br>" + text(r.centre) : "") +
      "<br>" + r.coaches + " " + text(element.dataset.coaches) + " / " + r.municipalities + " " +
      text(element.dataset.municipalities) + " (" + ratio + ")<br>" + r.to_recruit + " " +
      text(element.dataset.recruit);
    L.circleMarker([r.lat, r.lng], {radius: radius, color: colour, fillColor: colour, fillOpacity: 0.35})
      .addTo(map).bindPopup(html).bindTooltip(r.name);
    bounds.push([r.lat, r.lng]);
  });
  if (bounds.length > 1) { map.fitBounds(bounds, {padding: [40, 40], maxZoom: 8}); }
  element.dataset.circles = String(bounds.length);
}());
