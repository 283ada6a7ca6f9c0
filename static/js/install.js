// Help to put the app on the phone, in the words of the page (_install_help.html): on an
// iPhone, Safari's two steps to the Home Screen, where the app opens offline and, on iOS,
// alerts can reach it; where the browser offers to install (`beforeinstallprompt`), a button
// that asks it to. Shown until the person dismisses it, which this phone then remembers.
const DISMISSED = "install-help-dismissed";

const help = document.getElementById("install-help");
let offer = null;

function isInstalled() {
  return navigator.standalone === true || matchMedia("(display-mode: standalone)").matches;
}

// Safari on an iPhone, iPod or iPad (an iPad's Safari says it is a Mac, with a touch screen);
// not Chrome, Firefox or Edge for iOS, whose menus differ.
function isAppleSafari() {
  const agent = navigator.userAgent;
  const apple = /iPhone|iPod|iPad/.test(agent) || (/Macintosh/.test(agent) && navigator.maxTouchPoints > 1);
  return apple && /Safari\//.test(agent) && !/CriOS|FxiOS|EdgiOS|OPiOS/.test(agent);
}

// Private browsing may refuse storage: then the help shows again next time, nothing worse.
function isDismissed() {
  try {
    return localStorage.getItem(DISMISSED) === "yes";
  } catch {
    return false;
  }
}

function dismiss() {
  try {
    localStorage.setItem(DISMISSED, "yes");
  } catch {
    // Hidden on this page all the same.
  }
  help.hidden = true;
  document.getElementById("main")?.focus();
}

function show(kind) {
  help.querySelector(`[data-install="${kind}"]`).hidden = false;
  help.hidden = false;
}

if (help && !isDismissed() && !isInstalled()) {
  if (isAppleSafari()) show("ios");
  window.addEventListener("beforeinstallprompt", (event) => {
    // The browser's own offer waits for the button, which says why.
    event.preventDefault();
    offer = event;
    show("prompt");
  });
  window.addEventListener("appinstalled", () => {
    help.hidden = true;
  });
  help.addEventListener("click", async (event) => {
    if (event.target.closest("[data-install-dismiss]")) {
      dismiss();
    } else if (event.target.closest("[data-install-app]") && offer) {
      const asked = offer;
      offer = null;
      await asked.prompt();
      const { outcome } = await asked.userChoice;
      if (outcome === "accepted") help.hidden = true;
    }
  });
}
