// The report page: a tap on the map sets the place; the address selects load their lists;
// once the service is chosen, requests already made nearby are shown so people can say "me too".
(function () {
  "use strict";
  var dataNode = document.getElementById("eservice-map-data");
  var form = document.querySelector("form.eservice-form");
  if (!form) { return; }
  var lat = form.querySelector("[name=lat]"), lon = form.querySelector("[name=lon]");
  if (dataNode && document.getElementById("report-map") && window.L) {
    var data = JSON.parse(dataNode.textContent);
    L.Icon.Default.imagePath = data.icons;
    var start = (lat && lat.value) ? [parseFloat(lat.value), parseFloat(lon.value)] : [13.75, 100.5];
    var map = L.map("report-map").setView(start, lat && lat.value ? 17 : 6);
    if (data.tiles) { L.tileLayer(data.tiles, {maxZoom: 19, attribution: data.attribution}).addTo(map); }
    var marker = lat && lat.value ? L.marker(start).addTo(map) : null;
    map.on("click", function (event) {
      if (marker) { marker.setLatLng(event.latlng); } else { marker = L.marker(event.latlng).addTo(map); }
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
    });
    var here = document.getElementById("use-my-location");
    if (here && navigator.geolocation) {
      here.hidden = false;
      here.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          var point = [pos.coords.latitude, pos.coords.longitude];
          map.setView(point, 17); map.fire("click", {latlng: L.latLng(point)});
        });
      });
    }
  }
  function fill(select, url) {
    fetch(url).then(function (r) { return r.json(); }).then(function (body) {
      select.length = 1;
      body.items.forEach(function (item) { select.add(new Option(item.name, item.code)); });
    });
  }
  var province = form.querySelector("[name=province]"), district = form.querySelector("[name=district]");
  var subdistrict = form.querySelector("[name=subdistrict]"), placesUrl = form.dataset.places;
  if (province && placesUrl) {
    province.addEventListener("change", function () { fill(district, placesUrl + "?province=" + province.value); subdistrict.length = 1; });
    district.addEventListener("change", function () { fill(subdistrict, placesUrl + "?district=" + district.value); });
  }
  var service = form.querySelector("[name=service]"), box = document.getElementById("nearby");
  function showAttributes() {
    document.querySelectorAll("[data-service-attributes]").forEach(function (group) {
      group.hidden = group.dataset.serviceAttributes !== service.value;
    });
  }
  if (service) {
    showAttributes();
    service.addEventListener("change", showAttributes);
  }
  if (service && box && form.dataset.nearby && lat && lat.value) {
    var check = function () {
      fetch(form.dataset.nearby + "?lat=" + lat.value + "&lon=" + lon.value + "&service=" + service.value)
        .then(function (r) { return r.json(); }).then(function (body) {
          box.textContent = "";
          box.hidden = !body.items.length;
          body.items.forEach(function (item) {
            var li = document.createElement("li"), a = document.createElement("a");
            a.href = item.url; a.textContent = "#" + item.id + " " + item.description + " (" + item.distance_m + " m, " + item.status + ")";
            li.appendChild(a); box.appendChild(li);
          });
        });
    };
    service.addEventListener("change", check); check();
  }
})();
