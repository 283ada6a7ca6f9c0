// The administrator's audit log (list_audit_events.html): its filter form sends only the
// fields that are filled in.
import "./filter-form.js";
