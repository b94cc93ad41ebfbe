using System.Text;
using Pipeline.Ingest.Steps;
using Xunit.Abstractions;

namespace Pipeline.Ingest.Tests.Steps;

/// <summary>
/// Held-out sentences written for this test (none of them is in the demo corpus or the stop-word
/// lists' source), eight per language; the confusion matrix goes to the test output.
/// </summary>
public sealed class LanguageIdentifierAccuracyTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string[]> HeldOut = new()
    {
        ["en"] =
        [
            "The train was late again this morning, so we had to wait on the cold platform for almost an hour.",
            "She told me that the new library would open next spring if the builders finish the roof in time.",
            "Most of the apples in our garden fell from the trees before we could pick them.",
            "He has been working on the same old car for years, but it still does not start.",
            "If you want to learn a language, you should try to read something in it every day.",
            "They were not sure whether the shop would still be open after the holiday weekend.",
            "We walked along the beach until the sun went down behind the hills.",
            "What do you think about the plan to close the bridge to all cars during the summer?",
        ],
        ["de"] =
        [
            "Der Zug hatte heute Morgen wieder Verspätung, deshalb mussten wir fast eine Stunde warten.",
            "Sie hat mir gesagt, dass die neue Bibliothek im Frühling eröffnet werden soll.",
            "Die meisten Äpfel in unserem Garten sind schon von den Bäumen gefallen.",
            "Er arbeitet seit Jahren an dem alten Auto, aber es springt immer noch nicht an.",
            "Wenn man eine Sprache lernen will, sollte man jeden Tag etwas darin lesen.",
            "Wir wussten nicht, ob der Laden nach dem Feiertag noch geöffnet sein würde.",
            "Wir sind am Strand entlang gegangen, bis die Sonne hinter den Hügeln verschwand.",
            "Was hältst du von dem Plan, die Brücke im Sommer für alle Autos zu sperren?",
        ],
        ["fr"] =
        [
            "Le train avait encore du retard ce matin, alors nous avons attendu presque une heure sur le quai.",
            "Elle m'a dit que la nouvelle bibliothèque ouvrirait au printemps si les travaux sont finis.",
            "La plupart des pommes de notre jardin sont tombées avant que nous puissions les cueillir.",
            "Il travaille depuis des années sur la même vieille voiture, mais elle ne démarre toujours pas.",
            "Si vous voulez apprendre une langue, il faut lire quelque chose chaque jour.",
            "Nous ne savions pas si le magasin serait encore ouvert après le week-end.",
            "Nous avons marché le long de la plage jusqu'au coucher du soleil derrière les collines.",
            "Que penses-tu du projet de fermer le pont aux voitures pendant tout l'été ?",
        ],
        ["es"] =
        [
            "El tren volvió a llegar tarde esta mañana, así que esperamos casi una hora en el andén.",
            "Ella me dijo que la nueva biblioteca abrirá en primavera si terminan el tejado a tiempo.",
            "La mayoría de las manzanas de nuestro jardín cayeron antes de que pudiéramos recogerlas.",
            "Lleva años trabajando en el mismo coche viejo, pero todavía no arranca.",
            "Si quieres aprender un idioma, deberías leer algo en él todos los días.",
            "No sabíamos si la tienda seguiría abierta después del fin de semana.",
            "Caminamos por la playa hasta que el sol se escondió detrás de las colinas.",
            "¿Qué piensas del plan de cerrar el puente a los coches durante todo el verano?",
        ],
        ["it"] =
        [
            "Il treno era di nuovo in ritardo stamattina, quindi abbiamo aspettato quasi un'ora sul binario.",
            "Mi ha detto che la nuova biblioteca aprirà in primavera se finiscono il tetto in tempo.",
            "La maggior parte delle mele del nostro giardino è caduta prima che potessimo raccoglierle.",
            "Lavora da anni sulla stessa vecchia macchina, ma non parte ancora.",
            "Se vuoi imparare una lingua, dovresti leggere qualcosa ogni giorno.",
            "Non sapevamo se il negozio sarebbe stato ancora aperto dopo il fine settimana.",
            "Abbiamo camminato lungo la spiaggia finché il sole non è sceso dietro le colline.",
            "Cosa pensi del progetto di chiudere il ponte alle auto per tutta l'estate?",
        ],
        ["nl"] =
        [
            "De trein had vanochtend weer vertraging, dus we moesten bijna een uur op het perron wachten.",
            "Ze vertelde me dat de nieuwe bibliotheek in het voorjaar opengaat als het dak op tijd klaar is.",
            "De meeste appels in onze tuin zijn van de bomen gevallen voordat we ze konden plukken.",
            "Hij werkt al jaren aan dezelfde oude auto, maar die wil nog steeds niet starten.",
            "Als je een taal wilt leren, moet je er elke dag iets in lezen.",
            "We wisten niet of de winkel na het lange weekend nog open zou zijn.",
            "We liepen langs het strand tot de zon achter de heuvels verdween.",
            "Wat vind je van het plan om de brug de hele zomer voor auto's te sluiten?",
        ],
        ["pt"] =
        [
            "O comboio voltou a atrasar esta manhã, por isso esperámos quase uma hora na plataforma.",
            "Ela disse-me que a nova biblioteca vai abrir na primavera se acabarem o telhado a tempo.",
            "A maior parte das maçãs do nosso jardim caiu antes de as podermos apanhar.",
            "Ele trabalha há anos no mesmo carro velho, mas ainda não consegue pô-lo a andar.",
            "Se queres aprender uma língua, deves ler alguma coisa nela todos os dias.",
            "Não sabíamos se a loja ainda estaria aberta depois do fim de semana.",
            "Caminhámos pela praia até o sol se esconder atrás das colinas.",
            "O que achas do plano de fechar a ponte aos carros durante todo o verão?",
        ],
        ["sv"] =
        [
            "Tåget var försenat igen i morse, så vi fick vänta nästan en timme på perrongen.",
            "Hon sa att det nya biblioteket ska öppna i vår om taket blir klart i tid.",
            "De flesta äpplena i vår trädgård föll ner innan vi hann plocka dem.",
            "Han har arbetat med samma gamla bil i flera år, men den startar fortfarande inte.",
            "Om man vill lära sig ett språk bör man läsa något på det varje dag.",
            "Vi visste inte om affären skulle vara öppen efter helgen.",
            "Vi gick längs stranden tills solen försvann bakom kullarna.",
            "Vad tycker du om planen att stänga bron för bilar hela sommaren?",
        ],
        ["ru"] =
        [
            "Сегодня утром поезд снова опоздал, и нам пришлось ждать почти час на платформе.",
            "Она сказала мне, что новая библиотека откроется весной, если крышу закончат вовремя.",
            "Большинство яблок в нашем саду упали ещё до того, как мы успели их собрать.",
            "Он уже много лет чинит одну и ту же старую машину, но она всё ещё не заводится.",
            "Если ты хочешь выучить язык, нужно каждый день что-нибудь на нём читать.",
            "Мы не знали, будет ли магазин открыт после праздников.",
            "Мы гуляли по пляжу, пока солнце не скрылось за холмами.",
            "Что ты думаешь о плане закрыть мост для машин на всё лето?",
        ],
        ["zh"] =
        [
            "今天早上火车又晚点了，我们在站台上等了将近一个小时。",
            "她告诉我，如果屋顶能按时完工，新图书馆明年春天就会开放。",
            "我们花园里的大部分苹果在我们摘之前就掉下来了。",
            "他多年来一直在修同一辆旧车，但是它还是发动不起来。",
            "如果你想学一门语言，就应该每天读一点用这种语言写的东西。",
            "我们不知道假期过后那家商店还开不开门。",
            "我们沿着海滩散步，直到太阳落到山后面。",
            "你觉得夏天禁止汽车通过这座桥的计划怎么样？",
        ],
    };

    [Fact]
    public void Held_out_sentences_are_identified_with_at_least_ninety_percent_accuracy()
    {
        // Single sentences are short, so the confidence threshold is lowered: this measures the vote.
        var identifier = new LanguageIdentifier(new LanguageIdentifierOptions { MinConfidence = 0 });
        var labels = HeldOut.Keys.Append(LanguageResult.Unknown).ToList();
        var matrix = new int[labels.Count, labels.Count];
        var correct = 0;
        var total = 0;
        foreach (var (language, sentences) in HeldOut)
        {
            foreach (var sentence in sentences)
            {
                var predicted = identifier.Identify(sentence).Language;
                matrix[labels.IndexOf(language), labels.IndexOf(predicted)]++;
                total++;
                if (predicted == language) correct++;
                else output.WriteLine($"{language} -> {predicted}: {sentence}");
            }
        }
        var table = new StringBuilder("true\\pred " + string.Join(" ", labels.Select(l => l.PadLeft(4)[..4])) + "\n");
        for (var row = 0; row < HeldOut.Count; row++)
            table.AppendLine(labels[row].PadRight(9) + " " + string.Join(" ", Enumerable.Range(0, labels.Count).Select(col => matrix[row, col].ToString().PadLeft(4))));
        output.WriteLine(table.ToString());
        output.WriteLine($"accuracy {correct}/{total} = {(double)correct / total:P1}");
        Assert.True(correct >= total * 0.9, $"accuracy {correct}/{total}");
    }

    [Fact]
    public void Paragraphs_are_identified_above_the_default_confidence()
    {
        var identifier = new LanguageIdentifier(new LanguageIdentifierOptions());
        foreach (var (language, sentences) in HeldOut)
        {
            var result = identifier.Identify(string.Join(' ', sentences));
            Assert.True(result.Language == language, $"{language}: got {result}");
            Assert.InRange(result.Score, 0.5, 1);
        }
    }

    [Fact]
    public void Text_in_an_unsupported_language_or_without_words_is_unknown()
    {
        var identifier = new LanguageIdentifier(new LanguageIdentifierOptions());
        Assert.Equal(LanguageResult.Unknown, identifier.Identify("Kaupunginkirjasto avattiin uudelleen maanantaina puolen vuoden remontin jälkeen, ja lukijat löysivät valoisamman salin.").Language);
        Assert.Equal(LanguageResult.Unknown, identifier.Identify("1234 5678 !!! ???").Language);
        Assert.Equal(LanguageResult.Unknown, identifier.Identify("今日は電車がまた遅れたので、ホームで一時間近く待ちました。").Language);
    }
}
