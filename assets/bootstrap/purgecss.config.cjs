// The portal's Bootstrap: the stylesheet beside this file less every rule no page can use.
// Run as README.md here says; SITE_PACKAGES is the virtual environment's site-packages.
const site = process.env.SITE_PACKAGES;
if (!site) throw new Error("SITE_PACKAGES is not set");

module.exports = {
  css: ["assets/bootstrap/bootstrap.min.css"],
  content: [
    "templates/**/*.html",
    "*/**/*.py",
    "static/js/*.js",
    // Bootstrap's and htmx's scripts add classes of their own (show, collapsing, fade, ...).
    "static/vendor/bootstrap/bootstrap.bundle.min.js",
    "static/vendor/htmx/htmx.min.js",
    // Forms render through crispy-bootstrap5's templates; account pages may use allauth's.
    `${site}/crispy_bootstrap5/templates/**/*.html`,
    `${site}/crispy_forms/templates/**/*.html`,
    `${site}/allauth/templates/**/*.html`,
    `${site}/django/forms/templates/**/*.html`,
  ],
  skippedContentGlobs: [".venv/**", "var/**", "node_modules/**"],
  safelist: {
    // Classes a template completes at render time: alert-{{ level }}, text-bg-{% if ... %}.
    standard: [/^alert-/, /^text-bg-/, /^btn-/],
  },
  // Keep every custom property and keyframe: cheap, and Bootstrap's components read them.
  variables: false,
  keyframes: false,
  fontFace: false,
};
