// Letters NFKD does not decompose, folded as a reader of the language would spell them in ASCII.
const SPECIAL: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };
const SPECIAL_PATTERN = /[ßæœøłđðþı]/g;
// Only the Latin/Greek/Cyrillic combining accents: Japanese voicing marks must stay (デ is not テ).
const COMBINING_ACCENTS = /[\u0300-\u036f]/g;

/**
 * Lower-cases and removes diacritics, so `Löschen`, `loschen` and `LÖSCHEN` compare equal and
 * full-width letters become ASCII.
 *
 * @example foldText('Créer une Facture') // 'creer une facture'
 */
export function foldText(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(COMBINING_ACCENTS, '').normalize('NFC').replace(SPECIAL_PATTERN, (ch) => SPECIAL[ch] ?? ch);
}
