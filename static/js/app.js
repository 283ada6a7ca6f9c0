// Install the service worker, and say so when a new release has taken over the page.
// Every page also sends what waits in the outbox (outbox-sender.js).
import "./outbox-sender.js";

if ("serviceWorker" in navigator) {
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    const notice = document.getElementById("update-notice");
    if (hadController && notice) notice.hidden = false;
  });
  navigator.serviceWorker.register("/sw.js").catch((error) => console.warn("Offline use is unavailable:", error));
}
