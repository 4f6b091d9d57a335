/* Runs before anything else on the page: every uncaught error and console.error ends up in #cnn-render-status. */
(function () {
  'use strict';
  var errors = window.cnnRenderErrors = [];
  function record(message) {
    errors.push(message);
    if (window.cnnRenderPublish) {
      window.cnnRenderPublish();
    }
  }
  window.addEventListener('error', function (e) {
    record('uncaught: ' + (e.message || (e.target && e.target.src) || 'error'));
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    record('unhandled rejection: ' + (e.reason && e.reason.message ? e.reason.message : e.reason));
  });
  var consoleError = console.error;
  console.error = function () {
    record('console.error: ' + Array.prototype.map.call(arguments, String).join(' '));
    return consoleError.apply(console, arguments);
  };
})();
