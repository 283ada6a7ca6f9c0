// The home page: alerts turned on for a harbour in one tap.
import "./alert-toggles.js";
