// Which season it is on the phone's calendar, and the order to show the seasons in. The page
// is cached for offline use, so this is worked out on the phone, not by the server.

// `seasons` in calendar order, each { id, months: [1–12] }; an empty list means all year.
export function seasonOrder(seasons, date = new Date()) {
  const month = date.getMonth() + 1;
  const dated = seasons.filter((season) => season.months.length);
  const now = dated.findIndex((season) => season.months.includes(month));
  if (now < 0) return seasons.map((season) => season.id);
  const allYear = seasons.filter((season) => !season.months.length);
  const later = [...dated.slice(now + 1), ...dated.slice(0, now)];
  return [dated[now], ...allYear, ...later].map((season) => season.id);
}
