// Inflection endings of French, Spanish, Italian, Portuguese and German verbs and nouns (folded).
const SUFFIXES = ['iendo', 'ando', 'endo', 'ados', 'adas', 'idos', 'idas', 'ado', 'ada', 'ido', 'ida', 'ons', 'ez', 'er', 'ir', 'ar', 'en', 'es', 'as', 'os', 'st', 'e', 'a', 'o', 's', 'i', 't'];

/**
 * A deliberately rough stem for non-English words: strips one inflection ending (`supprimez`,
 * `supprimer` → `supprim`; `löschen`, `lösche` → `losch`). Used only as the last way to find a
 * word in the thesaurus, never for index terms.
 *
 * @example lightStem('eliminar') // 'elimin'
 */
export function lightStem(word: string): string {
  if (word.length < 5) return word;
  for (const suffix of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
  }
  return word;
}
