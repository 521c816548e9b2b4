/// The condition vocabulary as JSON data: condition → phrases (matched as whole words,
/// case-insensitively). Kept in source rather than as a SwiftPM resource so the binary stays
/// self-contained: a resource bundle must be deployed beside the executable and its accessor
/// needs Foundation. Edit it as data; `ConditionNormalizer` reads it once.
enum ConditionVocabulary {
    static let json = #"""
    {
      "for_parts": ["damaged condition", "damaged", "for parts", "for parts or not working", "not working",
                    "spares or repair", "spares repair", "defekt", "für bastler", "als ersatzteil",
                    "pour pièces", "pour pieces", "hors service", "per ricambi", "non funzionante",
                    "para piezas", "no funciona", "para peças", "voor onderdelen", "na części",
                    "на запчасти", "broken"],
      "like_new": ["like new", "as new", "mint", "mint condition", "open box", "wie neu", "neuwertig",
                   "comme neuf", "état neuf", "come nuovo", "como nuevo", "como novo", "zo goed als nieuw",
                   "jak nowy", "как новый", "excellent", "excellent condition", "hervorragend", "excellent état"],
      "very_good": ["very good", "very good condition", "très bon état", "tres bon etat", "sehr gut",
                    "sehr guter zustand", "molto buono", "ottimo", "ottime condizioni", "muy bueno",
                    "muy buen estado", "muito bom", "zeer goed", "bardzo dobry", "очень хорошее",
                    "refurbished", "refurbished condition", "generalüberholt", "reconditionné", "ricondizionato",
                    "reacondicionado", "recondicionado"],
      "good": ["good", "good condition", "bon état", "bon etat", "gut", "guter zustand", "buono",
               "buone condizioni", "bueno", "buen estado", "bom", "bom estado", "goed", "dobry", "хорошее"],
      "acceptable": ["acceptable", "fair", "fair condition", "satisfaisant", "état correct", "etat correct",
                     "akzeptabel", "ausreichend", "gebrauchsspuren", "accettabile", "discreto", "aceptable",
                     "aceitável", "redelijk", "dostateczny", "удовлетворительное", "heavily used", "well worn"],
      "new": ["new", "new condition", "brand new", "new with tags", "new with box", "new without tags",
              "new other", "nwt", "bnwt", "bnib", "sealed", "factory sealed", "neu", "neu mit etikett",
              "neu ohne etikett", "neuf", "neuf avec étiquette", "neuf sans étiquette", "nuovo",
              "nuovo con cartellino", "nuevo", "nuevo con etiquetas", "novo", "nieuw", "nowy", "новый", "новое"],
      "used": ["used", "used condition", "pre-owned", "pre owned", "preowned", "second hand", "second-hand",
               "secondhand", "gebraucht", "occasion", "d'occasion", "usagé", "usato", "usado", "gebruikt",
               "używany", "б/у", "бу", "подержанный", "vintage"]
    }
    """#
}
