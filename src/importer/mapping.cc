#include "importer/mapping.h"

#include <set>
#include <unordered_map>

#include "core/text.h"
#include "core/time.h"
#include "domain/phone.h"
#include "domain/query.h"

namespace dialbook::importer {

namespace {

// Headers are compared folded (case, accents) with everything but letters and digits
// removed: "E-mail Address" → "emailaddress", "Téléphone portable" → "telephoneportable".
std::string Key(const std::string& header) {
  std::string out;
  for (char ch : FoldForSearch(header))
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) out += ch;
  return out;
}

const std::unordered_map<std::string, std::string>& Synonyms() {
  static const auto* map = [] {
    auto* m = new std::unordered_map<std::string, std::string>();
    auto add = [&](const char* field, std::initializer_list<const char*> headers) {
      for (auto h : headers) (*m)[Key(h)] = field;
    };
    add("first_name", {"first name", "firstname", "first", "given name", "givenname", "forename", "prenom",
                       "prénom", "nombre", "vorname", "nome", "primeiro nome", "voornaam", "imie", "imię"});
    add("last_name", {"last name", "lastname", "last", "surname", "family name", "familyname", "nom", "nom de famille",
                      "apellido", "apellidos", "nachname", "cognome", "sobrenome", "achternaam", "nazwisko"});
    add("name", {"name", "full name", "fullname", "contact", "contact name", "display name", "nom complet",
                 "nombre completo", "vollständiger name", "nome completo", "naam", "client", "customer", "patient",
                 "lead", "lead name"});
    add("phone", {"phone", "phone number", "phonenumber", "telephone", "telephone number", "tel", "tel.", "mobile",
                  "mobile phone", "mobile number", "cell", "cell phone", "cellphone", "primary phone",
                  "phone 1 - value", "phone1value", "téléphone", "portable", "telefono", "teléfono", "móvil", "movil",
                  "celular", "telefon", "handy", "handynummer", "telefone", "telemovel", "telefoon", "mobiel",
                  "numero", "número", "number", "whatsapp", "msisdn", "contact number", "dial"});
    add("phones", {"phone 2 - value", "phone 3 - value", "business phone", "home phone", "work phone",
                   "other phone", "business phone 2", "home phone 2", "company main phone", "car phone",
                   "assistant's phone", "secondary phone", "alternate phone", "landline", "fax"});
    add("email", {"email", "e-mail", "email address", "e-mail address", "mail", "e-mail 1 - value",
                  "email 1 - value", "correo", "correo electrónico", "courriel", "adresse e-mail", "posta elettronica"});
    add("company", {"company", "organization", "organisation", "organization 1 - name", "organization name",
                    "business", "employer", "account", "account name", "entreprise", "société", "empresa",
                    "firma", "unternehmen", "azienda", "bedrijf"});
    add("street", {"street", "address", "street address", "address 1 - street", "business street", "home street",
                   "address line 1", "address1", "rue", "adresse", "calle", "dirección", "direccion", "straße",
                   "strasse", "indirizzo", "endereço", "straat", "adres"});
    add("city", {"city", "town", "address 1 - city", "business city", "home city", "ville", "ciudad", "stadt",
                 "ort", "città", "cidade", "plaats", "stad", "locality"});
    add("state", {"state", "province", "region", "county", "address 1 - region", "business state", "home state",
                  "state/province", "région", "provincia", "estado", "bundesland", "regione", "provincie"});
    add("zip", {"zip", "zip code", "zipcode", "postal code", "postcode", "post code", "address 1 - postal code",
                "business postal code", "home postal code", "code postal", "código postal", "codigo postal", "plz",
                "postleitzahl", "cap", "cep"});
    add("country", {"country", "country/region", "address 1 - country", "business country/region",
                    "home country/region", "pays", "país", "pais", "land", "paese", "nation"});
    add("notes", {"notes", "note", "comments", "comment", "remarks", "description", "memo", "notizen", "notas",
                  "remarques", "commentaires", "opmerkingen"});
    add("tags", {"tags", "tag", "labels", "label", "categories", "category", "segment", "étiquettes", "etiquetas",
                 "schlagwörter", "kategorie"});
    add("groups", {"groups", "group", "group membership", "list", "lists", "groupe", "grupo", "gruppe", "gruppo"});
    add("department", {"department", "team", "branch", "office", "service", "departamento", "abteilung", "reparto"});
    add("consent", {"consent", "opt in", "opt-in", "optin", "opted in", "subscribed", "permission",
                    "marketing consent", "sms consent", "call consent", "tcpa consent", "agreed", "consentement",
                    "consentimiento", "einwilligung", "consenso"});
    add("do_not_call", {"do not call", "dnc", "donotcall", "do not contact", "no call", "opt out", "optout",
                        "unsubscribed", "ne pas appeler", "no llamar", "nicht anrufen"});
    return m;
  }();
  return *map;
}

bool ConsentLike(const std::string& v) {
  static const char* kWords[] = {"yes", "no", "y", "n", "true", "false", "1", "0", "consent", "opted-in",
                                 "opted in", "opt-in", "opted-out", "opt-out", "granted", "denied", "si", "oui",
                                 "non", "ja", "nein"};
  std::string l = ToLowerAscii(Trim(v));
  for (auto w : kWords)
    if (l == w) return true;
  return false;
}

bool DateLike(const std::string& v) {
  std::string t = Trim(v);
  if (IsValidDate(t.substr(0, 10))) return true;
  // 12/31/2026, 31.12.2026, 31-12-26
  int digits = 0, seps = 0;
  for (char ch : t) {
    if (ch >= '0' && ch <= '9') ++digits;
    else if (ch == '/' || ch == '.' || ch == '-') ++seps;
    else return false;
  }
  return seps == 2 && digits >= 4 && digits <= 8;
}

}  // namespace

std::string FieldForHeader(const std::string& header) {
  auto it = Synonyms().find(Key(header));
  return it == Synonyms().end() ? "" : it->second;
}

std::vector<ColumnSuggestion> SuggestMapping(const std::vector<std::string>& header,
                                             const std::vector<std::vector<std::string>>& samples,
                                             const std::string& default_region) {
  const size_t n = header.size();
  std::vector<ColumnSuggestion> out(n);
  std::vector<double> email_share(n), consent_share(n), date_share(n);
  for (size_t col = 0; col < n; ++col) {
    size_t filled = 0, phones = 0, emails = 0, consents = 0, dates = 0;
    std::set<std::string> consent_values;
    for (auto& row : samples) {
      if (col >= row.size() || IsBlank(row[col])) continue;
      const std::string& v = row[col];
      ++filled;
      phones += ParsePhone(v, default_region, false).ok;
      emails += IsValidEmail(Trim(v));
      if (ConsentLike(v)) ++consents, consent_values.insert(ToLowerAscii(Trim(v)));
      dates += DateLike(v);
    }
    auto share = [&](size_t k) { return filled ? static_cast<double>(k) / filled : 0.0; };
    out[col].phone_share = share(phones);
    out[col].filled_share = samples.empty() ? 0 : static_cast<double>(filled) / samples.size();
    email_share[col] = share(emails);
    // A yes/no column only when it holds both kinds of answer (Outlook fills unused flags
    // with "False" everywhere: that is not a consent column).
    consent_share[col] = consent_values.size() >= 2 ? share(consents) : 0.0;
    date_share[col] = share(dates);
    out[col].field = FieldForHeader(header[col]);
    if (!out[col].field.empty()) out[col].reason = "header";
  }
  auto percent = [](double x) { return std::to_string(static_cast<int>(x * 100 + 0.5)) + "%"; };
  // The data speaks where the header did not.
  for (size_t col = 0; col < n; ++col) {
    auto& s = out[col];
    if (s.filled_share == 0) continue;
    // Cells that are nearly all phone numbers make a phone column, whatever the header.
    if (s.phone_share >= 0.9 && !s.field.empty() && s.field != "phone" && s.field != "phones") {
      s.reason = "data: " + percent(s.phone_share) + " valid phone numbers (header said " + s.field + ")";
      s.field = "phone";
      continue;
    }
    if (!s.field.empty()) continue;
    if (s.phone_share >= 0.6) {
      s.field = "phone";
      s.reason = "data: " + percent(s.phone_share) + " valid phone numbers";
    } else if (email_share[col] >= 0.6) {
      s.field = "email";
      s.reason = "data: " + percent(email_share[col]) + " email addresses";
    } else if (consent_share[col] >= 0.8) {
      s.field = "consent";
      s.reason = "data: yes/no values";
    } else if (date_share[col] >= 0.8) {
      s.reason = "data: dates (a date custom field?)";
    }
  }
  // One column is the phone: the one with the most valid numbers among those suggested;
  // other phone columns become additional phones.
  int best = -1;
  for (size_t col = 0; col < n; ++col)
    if (out[col].field == "phone" && (best < 0 || out[col].phone_share * out[col].filled_share >
                                                     out[best].phone_share * out[best].filled_share))
      best = static_cast<int>(col);
  if (best < 0) {  // no header named one: promote the extra phone column with the best data
    for (size_t col = 0; col < n; ++col)
      if (out[col].field == "phones" && out[col].phone_share >= 0.6 &&
          (best < 0 || out[col].phone_share > out[best].phone_share))
        best = static_cast<int>(col);
    if (best >= 0) out[best].field = "phone";
  }
  // A phone column that is mostly not phone numbers yields to a column that is (the
  // importer warns and suggests the better one, S6.4).
  if (best >= 0 && out[best].phone_share < 0.5) {
    int better = -1;
    for (size_t col = 0; col < n; ++col)
      if (static_cast<int>(col) != best && out[col].phone_share >= 0.6 && out[col].filled_share > 0 &&
          (out[col].field.empty() || out[col].field == "phones") &&
          (better < 0 || out[col].phone_share > out[better].phone_share))
        better = static_cast<int>(col);
    if (better >= 0) {
      out[best].field.clear();
      out[best].reason = "mostly not phone numbers (" + percent(out[best].phone_share) + " valid)";
      out[better].field = "phone";
      out[better].reason = "data: " + percent(out[better].phone_share) + " valid phone numbers";
      best = better;
    }
  }
  // Other phone columns become additional phones, unless they are mostly not phones.
  for (size_t col = 0; col < n; ++col) {
    if (out[col].field != "phone" || static_cast<int>(col) == best) continue;
    if (out[col].phone_share >= 0.5) {
      out[col].field = "phones";
    } else {
      out[col].field.clear();
      out[col].reason = "mostly not phone numbers (" + percent(out[col].phone_share) + " valid)";
    }
  }
  // Only one column each for the single-valued standard fields.
  for (const char* single : {"first_name", "last_name", "name", "email", "company", "street", "city", "state", "zip",
                             "country", "consent", "do_not_call", "department"}) {
    bool seen = false;
    for (auto& s : out)
      if (s.field == single) {
        if (seen) s.field.clear(), s.reason = "another column already maps to " + std::string(single);
        seen = true;
      }
  }
  return out;
}

}  // namespace dialbook::importer
