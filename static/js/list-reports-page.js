// The contact person's inbox (list_reports.html): its filter form sends only the fields that
// are filled in.
import "./filter-form.js";
