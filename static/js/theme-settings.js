/* Settings that Bootstrap Italia's bundle reads as it loads. A file, not an inline script: the
   Content-Security-Policy allows none (templates/bootstrap-italia-base.html loads it).

   Video.js, inside the bundle, would write a <style> element into every page, which the policy
   blocks (style-src 'self'); the portal shows no video, so it is told not to. */
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
