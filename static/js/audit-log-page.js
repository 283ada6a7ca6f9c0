// The administrator's audit log: its filter form sends only the filled-in fields.
import "./filter-form.js";
