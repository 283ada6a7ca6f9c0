// A filter form sends only the fields that are filled in, so that the address of a filtered
// page (in the history, a bookmark or a server's log) holds nothing it need not. The browser
// builds the submission, and htmx its request, from the `formdata` event's FormData.
document.addEventListener("formdata", (event) => {
  if (!event.target.matches(".filter-form")) return;
  for (const name of new Set(event.formData.keys())) {
    if (event.formData.getAll(name).every((value) => value === "")) event.formData.delete(name);
  }
});
