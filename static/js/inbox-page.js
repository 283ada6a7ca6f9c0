// The contact person's inbox: its filter form sends only the filled-in fields.
import "./filter-form.js";
