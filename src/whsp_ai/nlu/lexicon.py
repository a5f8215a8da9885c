"""Word lists and compiled patterns of the offline understanding, in folded Spanish and English."""

# Every pattern runs on text already passed through `fold()` with apostrophes removed
# ("what's" → "whats") and punctuation reduced to spaced "," and ";" separators.

from __future__ import annotations

import re
from collections.abc import Iterable


def alt(words: Iterable[str]) -> str:
    """A regex alternation that tries longer phrases first, so 'me lo llevo' beats 'me'."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _full(body: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{body})")


END = r"(?=\s|$)"

# --- edges of a message -----------------------------------------------------------------------

GREETINGS = (
    r"hola+s?|holi+s?|ola|buen(?:os|as)?(?: (?:dias?|tardes?|noches?))?|que tal|que onda|quiubo"
    r"|saludos|hey+|hi+|hello+|helo|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|day)"
    r"|como estas?|como te va|como le va|how are you(?: doing)?|hows it going|whats up|sup"
)
GREET_RE = re.compile(
    rf"^(?:{GREETINGS})(?: (?:there|all|everyone|amigos?|amigas?|joven|senora?|senorita|gente))?"
    rf"{END}\s*[,;]?\s*"
)

LEAD_FILLER_RE = re.compile(
    r"^(?:oye|oiga|mira|bueno|pues|entonces|ahora|ok|okay|okey|va|vale|ah|eh|ya|y|e|and|so|well"
    r"|um+|uh+|also|then|great|cool|alright|pero|but|ademas|tambien|luego|despues|disculpa"
    r"|disculpe|perdon|sorry|amigo|joven|please|plz|pls|por favor|porfa|porfavor|si|yes|yeah"
    r"|de casualidad|oh|actually|hmm+|mmm+)"
    rf"{END}\s*[,;]?\s*"
)
LEAD_NO_RE = re.compile(r"^(?:no|nope|nah|nel) [,;] ")
TRAIL_FILLER_RE = re.compile(
    r"\s*[,;]?\s*(?:por favor|porfa|porfavor|porfis|plis|please|pls|plz|gracias|muchas gracias"
    r"|thanks|thank you|thx|amigo|joven|de favor)$"
)
SEPARATORS_RE = re.compile(r"\s*(?:;|(?<!\d),|,(?!\d))\s*")  # '1,000' is a number

# --- whole-message phrases ----------------------------------------------------------------------

_YES = (
    r"si+|sip|simon|claro(?: que si)?|dale|va|vale|sale|ok|okay|okey|oki|k|correcto|confirmo"
    r"|confirmado|confirmar|de acuerdo|esta bien|perfecto|asi es|exacto|orale|por supuesto"
    r"|adelante|yes|yep|yeah|yup|sure|confirm|confirmed|correct|right|sounds good|go ahead"
    r"|of course|absolutely|definitely|alright|all right|fine|great|perfect|do it|lets do it"
    r"|thats right|affirmative|👍|✅|👌"
)
_YES_EXPECTING = (
    r"|listo|todo bien|looks good|es correcto|todo correcto|confirm(?:o|ar) (?:el |mi )?pedido"
    r"|confirm (?:the |my )?order|place (?:the |my )?order"
)
YES_RE = _full(rf"(?:{_YES})(?: (?:{_YES}))*")
YES_EXPECTING_RE = _full(rf"(?:{_YES}{_YES_EXPECTING})(?: (?:{_YES}{_YES_EXPECTING}))*")
_NO = (
    r"no+|nop|nope|nel|nah|naa+|no way|negativo|para nada|mejor no|no gracias|no thanks"
    r"|no thank you|todavia no|aun no|ahorita no|not yet|not now|no por ahora|not really|no quiero"
    r"|ya no|no esta bien|asi no|de ninguna manera|no lo quiero|👎"
    # "wait": at a yes/no question, not yet
    r"|espera|esperame|espereme|esperate|esperen|aguanta|aguantame|un momento|un segundo"
    r"|wait|hold on|one sec(?:ond)?|just a (?:sec|second|moment|minute)"
)
NO_RE = _full(rf"(?:{_NO})(?: (?:{_NO}))*")

CANCEL_RE = _full(
    r"(?:(?:mejor|ya|mejor ya|entonces|no|no ,|no mejor) )?(?:cancelar|cancela|cancelalo)"
    r"|cancelar|cancela|cancelalo|cancelala|cancel|cancel it|cancel that|cancel everything"
    r"|cancel all|cancel (?:the |my )?(?:order|purchase|checkout)"
    r"|cancela(?:r)?(?: el| mi| la| todo el| todo mi)? (?:pedido|orden|compra|todo)"
    r"|olvidalo|olvida(?:lo)? todo|(?:mejor |ya )?no quiero nada|never ?mind|nvm|forget it"
    r"|forget about it|stop|abort|salir|quit|exit|empezar de nuevo|start over"
    r"|(?:ya )?no quiero (?:el|mi) pedido"
)
CLEAR_CART_RE = _full(
    r"(?:(?:mejor|quiero|puedes) )?(?:vacia(?:r)?|vaciame|limpia(?:r)?)(?: el| mi)?"
    r" (?:carrito|carro)"
    r"|(?:(?:please|can you|i want to) )?(?:empty|clear)(?: out)? (?:my |the )?(?:cart|basket)"
    r"|(?:borra(?:r)?|quita(?:r)?|saca(?:r)?|elimina(?:r)?) todo(?: (?:del|de mi|el) carrito)?"
    r"|remove (?:everything|all)(?: from (?:my |the )?cart)?|delete everything"
)
HELP_RE = _full(
    r"ayuda|ayudame|me ayudas|(?:me )?(?:puedes|podrias|pueden|podrian|puede|podria) ayudar(?:me)?"
    r"|necesito ayuda|help"
    r"|help me|i need help|can you help(?: me)?|como funciona(?: esto)?|como funcionas"
    r"|como se usa|como le hago|como compro|como hago (?:un |mi )?pedido|como pido"
    r"|que (?:puedes|sabes) hacer|que haces|que puedo hacer|quien eres|que eres"
    r"|eres (?:un )?(?:bot|robot|humano|persona)|menu|opciones|instrucciones|comandos"
    r"|what can you do|what do you do|how does (?:this|it) work|how do (?:i|you) (?:order|buy)"
    r"|how to order|who are you|what are you|are you (?:a )?(?:bot|robot|human|real)"
    r"|commands|options|instructions|info|informacion"
)
VIEW_CART_RE = _full(
    r"(?:que|what) (?:llevo|tengo|have i got|do i have)"
    r"(?: en (?:el |mi )?(?:carrito|pedido|orden)| in (?:my|the) (?:cart|basket|order))?"
    r"|(?:ver|mostrar|muestrame|muestra|ensename|revisar|checar|consultar|quiero ver|me muestras"
    r"|puedo ver)(?: el| mi)? (?:carrito|pedido|orden|cuenta|compra)"
    r"|que hay en (?:el |mi )?(?:carrito|pedido)|(?:mi|el) (?:carrito|pedido|orden)|carrito"
    r"|resumen(?: de mi pedido| del pedido)?"
    r"|cuanto (?:es|va|llevo|debo|seria)(?: en total| el total)?|(?:cual es )?(?:el |mi )?total"
    r"|(?:show|see|view|check|open)(?: me)?(?: my| the)? (?:cart|basket|order)"
    r"|(?:my|the) (?:cart|basket|order)|cart|basket"
    r"|(?:whats|what is) in (?:my|the) (?:cart|basket|order)|(?:whats|what is) my total"
    r"|how much do i owe|(?:order|cart) summary"
)
CHECKOUT_RE = _full(
    r"(?:(?:ya )?(?:quiero|quisiera|me gustaria|vamos a|voy a|listo para|como|como le|donde)"
    r" (?:pagar|pago|hacer el pago|finalizar|terminar|hacer (?:el |mi )?pedido|ordenar))"
    r"|pagar|a pagar|(?:(?:eso|ya) )?(?:es|seria|sera) todo(?: por (?:ahora|hoy))?|nada mas"
    r"|finalizar(?: (?:la |el |mi )?(?:compra|pedido|orden))?"
    r"|terminar(?: (?:la |el |mi )?(?:compra|pedido|orden))?|ya termine|listo"
    r"|(?:proceder|procede|pasar|ir|vamos) al pago|cerrar (?:el |mi )?pedido"
    r"|confirmar (?:el |mi )?pedido|hacer (?:el |mi )?pedido|cobrame|la cuenta"
    r"|(?:me )?(?:pasas|pasa|pasame|paseme|das|da|dame|deme|traes|traeme|trae) la cuenta"
    r"|lets (?:check ?out|finish|wrap (?:it|this) up)|(?:ok )?checkout please"
    r"|check ?out|proceed to (?:check ?out|payment)"
    r"|(?:i )?(?:want|wanna|would like|d like|id like|am ready|m ready|im ready) to"
    r" (?:pay|check ?out|order|place (?:the |my |an )?order)"
    r"|pay(?: now)?|lets pay|ready to pay|thats (?:all|it|everything)|that is (?:all|it)"
    r"|thatll be all|that will be all|(?:im |i am )?done|all done|finish(?: (?:the |my )?order)?"
    r"|place (?:the |my )?order|complete (?:the |my )?(?:order|purchase)|ready to order"
)
CHECKOUT_TAIL_RE = re.compile(r" (?:con|en|por|with|by|using|via) [a-z ]{2,30}$")
THANKS_RE = _full(
    r"(?:muchas |mil )?gracias|thanks(?: a lot)?|thank you(?: so much| very much)?|thx|ty"
    r"|adios|bye|goodbye|hasta luego|hasta pronto|nos vemos|see you|see ya"
    r"|(?:ja|je|ji|ha|he)(?:ja|je|ji|ha|he)+j?"
    r"|lol|xd+|:\)"
)

# --- cart verbs --------------------------------------------------------------------------------

MODAL = (
    r"(?:(?:(?:me|nos) )?(?:puedes|podrias|puede|podria|pudieras|pudiera) "
    r"|(?:can|could|would|will) you(?: please)? |please |por favor )?"
)
_CLITIC = r"(?:me|le|nos|les|se)?(?P<clit>lo|la|los|las)?"
ADD_STEMS = (
    "agrega",
    "agregue",
    "agreguen",
    "agregar",
    "anade",
    "anada",
    "anadir",
    "pon",
    "ponga",
    "poner",
    "mete",
    "meta",
    "meter",
    "manda",
    "mande",
    "mandar",
    "envia",
    "envie",
    "enviar",
    "regala",
    "regale",
    "aparta",
    "aparte",
    "apartar",
    "incluir",
    "suma",
    "sume",
    "sumar",
    "dar",
)
ADD_PHRASES = (
    "dame",
    "deme",
    "danos",
    "denos",
    "damelo",
    "damela",
    "damelos",
    "damelas",
    "demelo",
    "demela",
    "demelos",
    "demelas",
    "quiero",
    "quisiera",
    "queria",
    "quiero comprar",
    "quiero pedir",
    "quiero llevar",
    "quiero ordenar",
    "quisiera comprar",
    "quisiera pedir",
    "me gustaria",
    "me gustaria comprar",
    "voy a querer",
    "voy a llevar",
    "voy a comprar",
    "me llevo",
    "me lo llevo",
    "me la llevo",
    "me los llevo",
    "me las llevo",
    "lo quiero",
    "la quiero",
    "los quiero",
    "las quiero",
    "me das",
    "me da",
    "me dan",
    "me pones",
    "me agregas",
    "me mandas",
    "me envias",
    "me regalas",
    "me vendes",
    "me apartas",
    "me pasas",
    "vendeme",
    "vendame",
    "pasame",
    "paseme",
    "incluyeme",
    "necesito",
    "ocupo",
    "compro",
    "add",
    "add in",
    "put",
    "put in",
    "throw in",
    "include",
    "i want",
    "i wanna",
    "we want",
    "i would like",
    "id like",
    "i d like",
    "i will take",
    "ill take",
    "well take",
    "i will have",
    "ill have",
    "ill get",
    "i will get",
    "ill buy",
    "i will buy",
    "i want to buy",
    "i want to order",
    "i want to get",
    "id like to order",
    "id like to buy",
    "i need",
    "we need",
    "give me",
    "gimme",
    "get me",
    "can i get",
    "can i have",
    "could i get",
    "could i have",
    "may i have",
    "can i order",
    "let me get",
    "let me have",
    "let me take",
    "buy",
    "order",
    "take",
    "i take",
    "i buy",
    "get",
    "i ll take",
)
# 'necesito focos' is a search; with a quantity or a pointer it is an add.
SOFT_ADD = frozenset({"necesito", "ocupo", "i need", "we need"})
ADD_SPANISH_WANT = frozenset(
    {"quiero", "quisiera", "queria", "me gustaria", "necesito", "ocupo", "voy a querer"}
)
ADD_RE = re.compile(
    rf"^{MODAL}(?P<verb>{alt(ADD_PHRASES)}|(?:{alt(ADD_STEMS)}){_CLITIC}){END}\s*(?P<rest>.*)$"
)
REMOVE_STEMS = (
    "quita",
    "quite",
    "quitar",
    "saca",
    "saque",
    "sacar",
    "elimina",
    "elimine",
    "eliminar",
    "borra",
    "borre",
    "borrar",
    "remueve",
    "remueva",
    "remover",
    "retira",
    "retire",
    "retirar",
    "descarta",
    "descarte",
    "cancela",
    "cancele",
    "cancelar",
)
REMOVE_PHRASES = (
    "ya no quiero",
    "no quiero",
    "ya no me des",
    "no me des",
    "ya no necesito",
    "no necesito",
    "ya no voy a querer",
    "mejor sin",
    "me quitas",
    "me sacas",
    "olvidate de",
    "remove",
    "delete",
    "take out",
    "take off",
    "get rid of",
    "drop",
    "i dont want",
    "i do not want",
    "dont want",
    "i no longer want",
    "no longer want",
    "cancel",
    "scratch",
    "forget",
    "forget about",
    "i dont need",
    "no more",
)
REMOVE_RE = re.compile(
    rf"^{MODAL}(?P<verb>{alt(REMOVE_PHRASES)}|(?:{alt(REMOVE_STEMS)}){_CLITIC}){END}\s*(?P<rest>.*)$"
)
TAKE_OUT_RE = re.compile(r"^(?:take|get) (?P<rest>.+) (?:out|off)(?: of (?:my |the )?\w+)?$")
# 'quiero cambiar…', 'i want to remove…': the wish wraps another cart verb.
WANT_WRAPPER_RE = re.compile(
    r"^(?:quiero|quisiera|me gustaria|necesito|i want to|i wanna|id like to|i would like to"
    r"|i need to) (?=(?:agregar|anadir|poner|meter|quitar|sacar|eliminar|borrar|cambiar|remover"
    r"|retirar|add|remove|delete|change|drop|set|update|make)\b)"
)
SPANISH_INFINITIVE_RE = re.compile(r"^[a-z]+(?:ar|er|ir)(?:lo|la|los|las|me|le|se)?(?=\s|$)")
# 'quisiera información sobre…', 'dame el precio de…': asking about it, not buying it.
WANT_INFO_RE = re.compile(
    r"^(?:(?:el|la|los|las|the|more|mas) )?(?:informacion|information|info|precios?|prices?"
    r"|cotizacion|detalles|details|costo|cost|ayuda|help)(?=\s|$)"
)

_SET_VERBS = (
    r"cambia|cambie|cambiar|deja|deje|dejar|actualiza|actualizar|modifica|modificar|ajusta"
    r"|ajustar|sube|subir|baja|bajar|pon|ponga|change|set|update|adjust|increase|decrease|reduce"
)
# Greedy product, short quantity: the last 'a N' / 'to N' is the target.
SET_TARGET_RE = re.compile(
    rf"^{MODAL}(?:{_SET_VERBS}){_CLITIC}(?: (?P<prod>.+))? (?:a|en|to|at)"
    r" (?P<qty>[a-z0-9]+(?: [a-z0-9]+){0,3}?)(?: (?:piezas|unidades|units|pcs|pieces))?$"
)
VAGUE_RE = re.compile(
    r"^(?:unos cuantos|unas cuantas|unos|unas|a few|few|some|several|varios|varias|algunos"
    rf"|algunas|any){END}\s*"
)
SET_LEAD_RE = re.compile(
    r"^(?:(?:mejor|better|actually|no mejor) )?(?:que sean|que sea|sean|make it|make that|make them"
    r"|make those|change it to|cambialo a|cambialos a|deja(?:lo|los|la|las)? en|mejor)"
    r" (?P<rest>.+)$"
)
SET_ONLY_RE = re.compile(
    r"^(?:mejor )?(?:i |yo )?(?:solo|solamente|nomas|nada mas|unicamente|only|just)"
    r"(?: (?:quiero|dame|ponme|deja|want|need|necesito|give me|i want))? (?P<rest>.+)$"
)
SET_WANT_ONLY_RE = re.compile(
    r"^(?:quiero|dame|ponme|i want|give me|i need) (?:solo|solamente|nomas|only|just) (?P<rest>.+)$"
)
SET_INSTEAD_RE = re.compile(r"^(?P<rest>.+?) (?:instead|mejor|en vez|en lugar)$")

# --- clause splitting and product words -------------------------------------------------------

SPLIT_RE = re.compile(
    r"\s*(;|(?<!\d),|,(?!\d)|\by\b|\be\b|\band\b|\balso\b|\bademas\b|\btambien\b|\bplus\b|&)\s*"
)
CONNECTOR_RE = re.compile(
    r"^(?:(?:y|e|and|also|ademas|tambien|plus|luego|despues|then|pero|but|ok|bueno|too)"
    rf"{END}\s*[,;]?\s*)+"
)
ARTICLE_RE = re.compile(
    r"^(?:el|la|los|las|lo|the|mi|mis|my|del|al|de la|de los|de las|de|of|of the|some|any"
    r"|algun|alguna|algunos|algunas|unos cuantos|unas cuantas|unos|unas|a few|few|several"
    r"|varios|varias|cantidad de|quantity of|number of|amount of)"
    rf"{END}\s*"
)
DEMONSTRATIVE_RE = re.compile(
    rf"^(?:ese|esa|esos|esas|este|esta|estos|estas|that|this|those|these){END}\s*(?=\S)"
)
AFTER_QTY_RE = re.compile(
    rf"^(?:(?:more|mas|extra){END}\s*)?(?:(?:piezas?|pzas?|pzs|pz|unidades|units?|pcs|pieces?)"
    rf"{END}\s*)?(?:(?:de los|de las|del|de|of the|of){END}\s*)?"
)
# 'gyokuro at $1 each', 'martillo a $1': a price the customer names is never the price.
PRICE_TAIL_RE = re.compile(
    r"\s+(?:at|a|por|for|@|en)\s*(?:\$\s*\d[\d,]*(?:\.\d{1,2})?|\d[\d,]*(?:\.\d{1,2})?\s*"
    r"(?=dollars?|pesos?|bucks|usd|mxn))(?:\s*(?:dollars?|pesos?|bucks|usd|mxn))?"
    r"(?:\s*(?:each|apiece|ea|c/u|cu|cada uno|cada una|la pieza|each one))?\s*$"
)
CART_PLACE_RE = re.compile(
    r"\s*\b(?:al|a mi|a el|en mi|en el|del|de mi|de el|to my|to the|to|in my|in the|from my"
    r"|from the|from|out of my|out of the) (?:carrito|carro|pedido|orden|cart|basket|order)\b"
    r"|\s*\b(?:por favor|porfa|porfavor|please|pls|plz)\b"
)
TRAIL_WORDS_RE = re.compile(
    r"(?:\s+(?:tambien|too|also|as well|mas|more|anymore|ya|please|gracias|thanks|porfa"
    r"|mismo|misma|out))+$"
)
TRAIL_QTY_RE = re.compile(
    r"^(?P<rest>.+?) (?:x(?P<x>\d{1,4})"
    r"|(?P<n>\d{1,4}) (?:piezas|pzas|pz|unidades|units|pcs|pieces))$"
)
# 'otras 2 pinzas', 'otro martillo', 'another whisk': more of a product, named after it.
ANOTHER_RE = re.compile(
    r"^(?:otro|otra|otros|otras|another|other)(?= \S)(?! (?:vez|dia|lado|than|way|day|time)\b)\s*"
)
# 'and a whisk', 'y una cinta': a message that goes on with what came before it.
CONTINUE_RE = re.compile(r"^(?:y|e|and|also|plus|tambien|ademas|and also|y tambien)\s+(?=\S)")
LAST_RE = _full(
    r"(?:de |of )?(?:ese|esa|eso|esos|esas|este|esta|esto|estos|estas|aquel|aquella|aquellos"
    r"|el mismo|la misma|lo mismo|los mismos|las mismas|ese mismo|esa misma|that|that one|this"
    r"|this one|those|these|those ones|it|them|the same|same|same one|the same one|otro|otra"
    r"|otros|otras|another|another one|one more|uno mas|una mas|el otro|la otra|el de arriba)"
)
_ORDINAL_WORDS: dict[str, int] = {
    "primer": 1,
    "primero": 1,
    "primera": 1,
    "segundo": 2,
    "segunda": 2,
    "tercer": 3,
    "tercero": 3,
    "tercera": 3,
    "cuarto": 4,
    "cuarta": 4,
    "quinto": 5,
    "quinta": 5,
    "sexto": 6,
    "sexta": 6,
    "septimo": 7,
    "septima": 7,
    "setimo": 7,
    "octavo": 8,
    "octava": 8,
    "noveno": 9,
    "novena": 9,
    "decimo": 10,
    "decima": 10,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "ultimo": -1,
    "ultima": -1,
    "last": -1,
}
ORDINAL_WORDS = _ORDINAL_WORDS
INDEX_RE = _full(
    r"(?P<art>(?:el|la|los|las|lo|the|del|de la|al|a la) )?"
    r"(?P<mark>(?:numero|num|nro|#|opcion|option|number|item|producto|product|articulo) ?)?"
    rf"(?:(?P<word>{alt(_ORDINAL_WORDS)})|(?P<num>\d{{1,3}})(?P<suf>st|nd|rd|th|ro|do|to|vo|mo|no|er"
    r"|o|a|°)?)"
    r"(?: (?:one|uno|una|opcion|option|item|producto|de la lista|on the list|of the list"
    r"|que me mostraste|you showed|de ahi))?"
)

# --- search -------------------------------------------------------------------------------------

SEARCH_LEAD_RE = re.compile(
    rf"^{MODAL}(?:any (?:news|updates?|word) (?:on|about)"
    r"|(?:alguna )?novedad(?:es)? (?:de|del|sobre|con)"
    r"|tienen|tiene|tienes|tendran|tendra|tendras|hay|habra|manejan|maneja|manejas"
    r"|venden|vende|vendes|cuentan con|busco|buscaba|estoy buscando|ando buscando|andaba buscando"
    r"|necesito|ocupo|ocupaba|necesitaba|quiero ver|quisiera ver|quiero saber(?: si tienen)?"
    r"|me muestras|muestrame|muestreme|ensename|me ensenas|puedo ver|me interesan?"
    r"|informacion(?: de| sobre)?|info(?: de| sobre)?"
    r"|cuanto(?: me)? (?:cuesta|cuestan|vale|valen|sale|salen|esta|estan|es|son|por|seria"
    r"|serian|cobran)|a como (?:esta|estan|sale|salen|es|son)|a cuanto|en cuanto"
    r"|que precio tienen?|cual es el precio|cuales son los precios|precios?|costo|el precio"
    r"|que cuestan?|que tal (?:es|son)|do (?:you|u|ya) (?:guys )?(?:have|sell|carry|stock)"
    r"(?: any)?|(?:you|u) (?:guys )?(?:have|sell|carry)(?: any)?"
    r"|have you got(?: any)?|you got(?: any)?|got any|you have|are there(?: any)?|is there(?: any)?"
    r"|any|(?:i am|im) (?:looking|searching) for|looking for|searching for|search(?: for)?"
    r"|find(?: me)?|i need|need|show me|can i see|let me see|id like to see|i want to see"
    r"|how much (?:is|are|does|do|for)|how much|(?:whats|what is) the (?:price|cost)"
    r"|prices?|cost|tell me about|info on|information about|what about|me urge|urge|urgente"
    r"|(?:que )?me recomiendas|recomiendame|recomiendeme|what do you recommend|recommend(?: me)?"
    r"|(?:quiero|quisiera|queria|me gustaria|i want|id like|i would like|dame|deme|me das|me da"
    r"|give me)(?= (?:(?:el|la|the|more|mas) )?(?:informacion|information|info|precios?|prices?"
    r"|detalles|details|costo|cost))|the price|(?:more |mas )?(?:detalles|details))"
    rf"{END}(?: (?:de|del|of|for|on|about|sobre|el precio de))?{END}\s*"
)
SEARCH_WH_RE = re.compile(
    r"^(?:y |and )?(?:que|cuales|what|which)(?: (?:tipos?|clases?|kinds?|types?|sorts?)"
    r" (?:de|of))?(?: (?P<q>.+?))?? (?:tienen|tienes|manejan|manejas|venden|vendes|hay"
    r"|do you (?:guys )?(?:have|sell|carry|stock)|have you got|are there|you have|you got"
    r"|you sell|are available)$"
)
# 'qué tienen de plomería', 'what do you have in herbal': the category, or the kind, asked for.
SEARCH_HAVE_OF_RE = re.compile(
    r"^(?:y |and )?(?:que|what)(?: (?:mas|else))? (?:tienen|tienes|manejan|manejas|venden|vendes"
    r"|hay|do (?:you|u) (?:guys )?(?:have|sell|carry|stock)|have you got|you got|you have)"
    r"(?: (?:de|en|para|in|of|for|on))? (?P<q>.+)$"
)
SEARCH_TRAIL_RE = re.compile(
    r"(?:\s+(?:cost|costs|go for|tienen|tienes|hay|do you have|cuesta|cuestan|vale|valen"
    r"|en venta|for sale))+$"
)
QUESTION_PREFIX_RE = re.compile(
    r"^(?:y |and )?(?:cual|cuales|que|which|what|whats|what is|what are)(?: (?:es|son|is|are))?"
    r"(?:\s+|$)"
)
KIND_OF_RE = re.compile(r"^(?:tipos?|clases?|kinds?|types?|sorts?) (?:de|of) ")

_AMOUNT = r"\$?\s*(?P<amt>\d{1,7}(?:,\d{3})*(?:\.\d{1,2})?)"
CURRENCY_RE = re.compile(
    r"^\s*(?:\$|pesos?|mxn|mn|dolares|dollars?|usd|bucks|dlls?|varos|bolas)(?=\s|$)"
)
MEASURE_RE = re.compile(
    r"^\s*(?:l|lt|lts|litros?|liters?|litres?|ml|kg|kilos?|g|gr|gramos?|grams?|oz|m|metros?"
    r"|meters?|cm|mm|w|watts?|pulgadas?|inch(?:es)?|in|min|minutos?|minutes?|pack|piezas?|pz)"
    r"(?=\s|$)"
)
PRICE_OP_RE = re.compile(
    r"(?<![a-z0-9])(?:(?P<max>no mas de|menos de|por debajo de|debajo de|abajo de|maximo|hasta"
    r"|que no (?:pasen?|cuesten? mas) de|menor(?:es)? (?:a|de|que)|mas barat[oa]s? (?:que|de)"
    r"|under|less than|below|up to|at most|max|maximum|no more than|cheaper than|within|<)"
    r"|(?P<min>mas de|arriba de|por encima de|encima de|mayor(?:es)? (?:a|de|que)|minimo|desde"
    r"|mas car[oa]s? (?:que|de)|over|more than|above|at least|min|minimum|greater than"
    r"|more expensive than|>))(?=\s|\$|\d)\s*"
)
BETWEEN_RE = re.compile(
    rf"\b(?:entre|between) {_AMOUNT}(?: (?:pesos|dollars|dolares))? (?:y|and|a|to|-) "
    r"\$?\s*(?P<amt2>\d{1,7}(?:,\d{3})*(?:\.\d{1,2})?)(?: (?:pesos|dollars|dolares|usd|mxn))?"
)
CHEAP_RE = re.compile(
    r"\b(?:(?:el|la|los|las|lo|the) )?(?:mas (?:barat[oa]s?|economic[oa]s?)|cheapest"
    r"|least expensive|lowest price[d]?|de menor precio|menor precio|barat[oa]s?|economic[oa]s?"
    r"|cheap|inexpensive|affordable)\b"
)
PRICEY_RE = re.compile(
    r"\b(?:(?:el|la|los|las|lo|the) )?(?:mas car[oa]s?|most expensive|priciest|de mayor precio"
    r"|mayor precio|highest price[d]?)\b"
)
IN_STOCK_RE = re.compile(
    r"\b(?:(?:que )?(?:este|esten|tengan|haya|hay) )?(?:disponibles?|en existencia|en stock"
    r"|con existencia|in stock|available)\b"
)
EDGE_STOP = words(
    "de del que con a en y o of for the an el la los las lo un una unos unas some any algun"
    " alguna algunos algunas is are me por mas that which than to with para"
)
GENERIC_WORDS = words(
    "te tes tea teas producto productos cosa cosas articulo articulos algo thing things stuff"
    " product products item items something tipo tipos kind kinds type types de del of para"
    " for some any los las the"
)
# Alone they name nothing: 'algo de menos de 100', 'recomiéndame algo'.
VAGUE_QUERY = words("algo something anything cosas things stuff productos products nada")
# Words a product name almost never has: their presence makes a bare phrase small talk.
NON_PRODUCT = words(
    "es son eres soy estoy estas fue era puedes puedo sabes quieres tengo tienes hace haces"
    " dime cuentame explicame platicame yo tu usted ustedes nosotros quien porque cuando donde"
    " como chiste chistes clima hoy manana ayer i you he she we they is are am was were be do"
    " does did will would should could your what why who when where how joke jokes weather"
    " today tomorrow yesterday me te se my mi it quiero want need necesito ok gracias thanks"
    " hola hello hi hacen envios envio entregas horario horarios hora abren cierran ubicacion"
    " ubicados deliver delivery shipping open close hours"
)

# --- language -----------------------------------------------------------------------------------

SPANISH_WORDS = words(
    "hola buenas buenos dias tardes noches gracias por favor porfa quiero quisiera tienen"
    " tiene tienes hay cuanto cuesta cuestan precio el la los las lo de del y que para con mi"
    " mis agrega agregar quita quitar dame ponme pon carrito pagar es todo un una unos unas"
    " busco mejor ese esa esos esas eso este esta estos direccion ayuda cancelar cancela como"
    " pero tambien si claro dale va nel cual cuales necesito ocupo sean sea cambia elimina"
    " saca mandame pedido efectivo tarjeta transferencia segundo primero primera segunda"
    " tercero ver mas menos barato caro al en se su son estan donde cuando puedes hacer"
    " funciona orale correcto confirmo finalizar compra nada ya olvidalo disculpa oye bueno"
    " pues perfecto listo vale llevo tengo muchas sin solo quita elimina das"
)
ENGLISH_WORDS = words(
    "hi hello hey the do you have i im ill want add remove my cart how much is are what whats"
    " please thanks thank yes yep yeah sure of to and for with that those it checkout pay help"
    " can could cancel looking take out one some any price cheapest under give this these them"
    " show in all thats done need get like would id never mind first second third change make"
    " delete order cost good morning afternoon evening nope nah from instead only just be will"
    " an at on where who why your proceed address deliver card cash bank transfer does much"
    " there tell joke less than dollars confirm about"
)

# --- checkout answers -------------------------------------------------------------------------

# A business's method matches when its own name or any word of its family is mentioned.
PAYMENT_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"efectivo", "cash", "contado", "billete", "billetes", "contra entrega"}),
    frozenset(
        {
            "tarjeta",
            "card",
            "credito",
            "debito",
            "credit",
            "debit",
            "visa",
            "mastercard",
            "amex",
            "terminal",
            "tdc",
            "tdd",
        }
    ),
    frozenset(
        {
            "transferencia",
            "transfer",
            "spei",
            "deposito",
            "deposit",
            "wire",
            "bank",
            "banco",
            "bancaria",
            "clabe",
        }
    ),
    frozenset({"paypal"}),
)
PAY_FILLER_RE = re.compile(
    r"\b(?:quiero|prefiero|voy a|i will|ill|i want to|id like to|i would like to|i prefer"
    r"|pagar|pago|pagaria|pay|paying|payment|con|en|por|with|by|using|via|mediante|la|el|the"
    r"|a|de|please|por favor|porfa|mejor|use)\b"
)
# At the payment step, 'con bitcoin' or 'with venmo' is an answer (one we must ask again
# about), not a product search.
PAY_ATTEMPT_RE = re.compile(
    r"^(?:(?:quiero|prefiero|puedo|se puede|i want to|can i|could i|id like to|i will|ill)"
    r" )?(?:pagar|pago|pay|paying)?\s*(?:con|en|por|with|by|using|via|mediante) [a-z ]{2,24}$"
    r"|^(?:bitcoin|btc|crypto|cripto|criptomonedas?|vales?|cheque|check|venmo|zelle|cash app"
    r"|apple pay|google pay|mercado pago|oxxo|oxxo pay|meses sin intereses|fiado|a credito"
    r"|credit|debit|gift card|tarjeta de regalo)$"
)
PAY_NEGATION = frozenset({"no", "sin", "without", "not", "dont", "nunca", "never"})
PAY_ORDINAL_RE = re.compile(
    r"^(?:(?:la|el|the|option|opcion|numero|number|#) ?)?(?P<n>\d{1,2}|"
    + alt(ORDINAL_WORDS)
    + r")(?:st|nd|rd|th|o|a|°)?(?: (?:one|opcion|option|forma|metodo))?$"
)

# Applied to the original text, so accents and case survive in the address itself.
ADDRESS_STRONG_RE = re.compile(
    r"\b(?:(?:mi|la|nuestra)\s+direcci[oó]n(?:\s+de\s+entrega)?\s*(?:es|ser[aá]|ser[ií]a)?"
    r"\s*:?|direcci[oó]n\s*:|(?:my|the|our)\s+(?:delivery\s+|shipping\s+)?address\s*"
    r"(?:is)?\s*:?|address\s*:)\s*",
    re.IGNORECASE,
)
ADDRESS_WEAK_RE = re.compile(
    r"^\s*(?:(?:env[ií]a|m[aá]nda|ll[eé]va|entr[eé]ga)(?:me|nos)?(?:lo|la|los|las)?\s+(?:a|en|al)"
    r"\s+|(?:vivo|estoy)\s+en\s+|(?:please\s+)?(?:deliver|ship|send|bring)"
    r"(?:\s+(?:it|them|the order|my order|everything))?\s+to\s+|i\s+live\s+(?:at|in)\s+"
    r"|i'?m\s+at\s+|a\s+domicilio\s+en\s+)",
    re.IGNORECASE,
)
