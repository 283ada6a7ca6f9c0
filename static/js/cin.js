// The hull identification number (CIN, ISO 10087): 14 characters, printed with a hyphen
// after the country code, as SE-ABC12345D404:
//   SE     country code of the builder, two letters
//   ABC    manufacturer's code, three letters or digits
//   12345  serial number, five letters or digits
//   D      month of production, A (January) to L (December)
//   4      last digit of the year of production
//   04     model year, two digits
// checkCin() says which part is wrong, so the page can explain it in the person's language.

const LENGTH = 14;

// Returns { cin } with the number in its printed form, or { problems: [{ part, typed }] }.
export function checkCin(value) {
  const typed = value.toUpperCase().replace(/[\s-]/g, "");
  const foreign = [...new Set(typed.replace(/[A-Z0-9]/g, ""))].join(" ");
  if (foreign) return { problems: [{ part: "characters", typed: foreign }] };
  if (typed.length === LENGTH - 2 && /^[A-Z0-9]{8}[A-L][0-9]{3}$/.test(typed)) {
    return { problems: [{ part: "noCountry", typed }] };
  }
  if (typed.length !== LENGTH) return { problems: [{ part: "length", typed, count: typed.length }] };
  const parts = [
    ["country", typed.slice(0, 2), /^[A-Z]{2}$/],
    ["month", typed.slice(10, 11), /^[A-L]$/],
    ["year", typed.slice(11, 12), /^[0-9]$/],
    ["modelYear", typed.slice(12, 14), /^[0-9]{2}$/],
  ];
  const problems = parts.filter(([, text, rule]) => !rule.test(text)).map(([part, text]) => ({ part, typed: text }));
  if (problems.length) return { problems };
  return { cin: `${typed.slice(0, 2)}-${typed.slice(2)}` };
}

// The parts, to read the number aloud over the phone: SE · ABC · 12345 · D4 · 04.
export function cinGroups(cin) {
  const typed = cin.replace("-", "");
  return [typed.slice(0, 2), typed.slice(2, 5), typed.slice(5, 10), typed.slice(10, 12), typed.slice(12)];
}
