// Small behaviours shared by every page; no inline script is allowed by the CSP.
(function () {
  "use strict";
})();
