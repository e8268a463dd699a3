// Loaded before Bootstrap Italia's bundle. The bundle includes video.js, which at load injects a
// <style> element into <head>: the Content Security Policy (style-src 'self') blocks it and the
// browser reports a violation on every page. Equo shows no videos; this documented video.js
// switch turns the injection off.
"use strict";
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
