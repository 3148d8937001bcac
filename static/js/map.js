// The maps of Agora, drawn with Leaflet (static/vendor/leaflet) from the page's own HTML:
// /carte/ marks each item of its list that has coordinates (data-lat, data-lon), and an event's
// or an association's page its one place. Without JavaScript the maps stay hidden and the list
// and addresses say the same.
document.querySelectorAll("[data-map]").forEach((box) => {
  const list = box.dataset.places ? document.getElementById(box.dataset.places) : null;
  const places = list ? Array.from(list.querySelectorAll("[data-lat]")) : [box];
  if (!window.L || places.length === 0) return;

  box.hidden = false;
  const map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 19 }).addTo(map);

  const points = places.map((place) => {
    const point = [Number(place.dataset.lat), Number(place.dataset.lon)];
    const marker = L.circleMarker(point, {
      radius: 10,
      weight: 2,
      fillOpacity: 0.9,
      className: `map-marker map-marker--${place.dataset.kind || "lieu"}`,
    }).addTo(map);
    // The popup shows the list item's own name and link; a small map names its one place.
    const name = place.querySelector(".map-place__name");
    marker.bindPopup(name ? name.cloneNode(true) : document.createTextNode(place.dataset.label));
    return point;
  });

  if (points.length === 1) {
    map.setView(points[0], 16);
  } else {
    map.fitBounds(points, { padding: [30, 30], maxZoom: 16 });
  }
});
