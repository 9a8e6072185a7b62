// Build partners/geo/europe.json: the countries of Europe and around it, as simplified
// rings of [longitude, latitude], from world-atlas (Natural Earth 1:50m, public domain;
// world-atlas is ISC-licensed). Run: cd scripts/europe-map && npm install && npm run build
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { feature } from "topojson-client";

const require = createRequire(import.meta.url);
const topology = JSON.parse(readFileSync(require.resolve("world-atlas/countries-50m.json"), "utf8"));
const atlasVersion = JSON.parse(readFileSync(require.resolve("world-atlas/package.json"), "utf8")).version;

// The window the public map shows, a little wider so edges are not cut.
const WEST = -50, EAST = 66, SOUTH = 28, NORTH = 72;
const round = (value) => Math.round(value * 100) / 100;
const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

// Russia's rings run past the antimeridian (Chukotka, at -170°): those points belong to
// the far east of the window, not to its west edge, where clamping would draw a band
// across the Arctic.
const unwrap = (lon) => (lon < -150 ? lon + 360 : lon);

function ringInWindow(ring) {
  return ring.some(([lon, lat]) => lon >= WEST && lon <= EAST && lat >= SOUTH && lat <= NORTH);
}

function simplify(ring) {
  // Points pushed onto the window's edge and rounded to ~1 km; repeats dropped.
  const out = [];
  for (const [lon, lat] of ring) {
    const point = [round(clamp(unwrap(lon), WEST - 4, EAST + 4)), round(clamp(lat, SOUTH - 3, NORTH + 3))];
    const last = out[out.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) out.push(point);
  }
  return out.length >= 4 ? out : null;
}

const countries = feature(topology, topology.objects.countries).features;
const features = [];
for (const country of countries) {
  const geometry = country.geometry;
  if (!geometry) continue;
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  const rings = [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      if (!ringInWindow(ring)) continue;
      const simple = simplify(ring);
      if (simple) rings.push(simple);
    }
  }
  if (rings.length) features.push({ id: country.id ?? "", name: country.properties.name, rings });
}
features.sort((a, b) => a.name.localeCompare(b.name));
const output = {
  source: `Natural Earth 1:50m countries via world-atlas ${atlasVersion} (countries-50m.json)`,
  licence: "Natural Earth: public domain. world-atlas: ISC licence, copyright Michael Bostock.",
  window: { west: WEST, east: EAST, south: SOUTH, north: NORTH },
  features,
};
const target = new URL("../../partners/geo/europe.json", import.meta.url);
writeFileSync(target, JSON.stringify(output));
console.log(`Wrote ${features.length} countries to ${target.pathname}`);
