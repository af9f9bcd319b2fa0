// Starts Swagger UI on the API's own OpenAPI document (no inline script: the site's CSP).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    layout: "BaseLayout",
    // No request to swagger.io's validator: nothing leaves this site.
    validatorUrl: null,
  });
})();
