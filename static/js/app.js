// The script every page loads (base.html): install the service worker, and say so when a new
// release has taken over the page. Every page also sends what waits in the outbox
// (outbox-sender.js) and offers to put the app on the phone (install.js).
//
// How the scripts are named: besides app.js, a template loads at most one script, named after
// the template, `<template>-page.js` with hyphens for underscores (new_report.html loads
// new-report-page.js, list_reports.html list-reports-page.js), which wires that page to the
// modules it imports. A module is named for what it holds or does (outbox.js, phone-data.js,
// filter-form.js …) and no template loads it itself. database.js and outbox.js are classic
// scripts, which the service worker loads as well.
import "./install.js";
import "./outbox-sender.js";

if ("serviceWorker" in navigator) {
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    const notice = document.getElementById("update-notice");
    if (hadController && notice) notice.hidden = false;
  });
  navigator.serviceWorker.register("/sw.js").catch((error) => console.warn("Offline use is unavailable:", error));
}
