"""The practitioner vocabulary: words of the field that the briefing says another way.

Each entry is (what a reader may type, the briefing's own words it also finds).
One-way: "methadone" finds the practice point about drug and alcohol use, but a
search for "drug" does not widen to every medication. Entries with nothing
after them are two-way (spelling pairs and irregular plurals: each finds the
other). Editors keep all of it under Site search › Synonyms.
"""

from django.db import migrations

# Grouped as the fields practitioners come from. The words after "->" are the
# briefing's (fixtures/ and ../shared/content/briefing-source.txt).
VOCABULARY = {
    "Sex industry and online selling": [
        (
            "sugar daddy, sugar daddies, sugar baby, sugar dating, compensated dating,"
            " gifts for sex",
            "money, money or goods",
        ),
        (
            "transactional sex, transactional relationship, sex for favours,"
            " sex for favors",
            "survival sex, exchange of sex",
        ),
        ("sex for rent, sex for a bed, sex for housing", "shelter, somewhere to stay"),
        ("sex for drugs", "drugs / alcohol, exchange of sex for drugs"),
        (
            "punter, punters, buyer, kerb crawler, kerb crawling, curb crawling,"
            " sex buyer",
            "sex buyers",
        ),
        ("madam, brothel keeper, trafficker, traffickers", "pimps, trafficking"),
        (
            "onlyfans, only fans, fansly, webcam, webcamming, camming, cam girl,"
            " adult content, content creator, adult website, premium snapchat,"
            " selling nudes, selling pictures, selling photos, selling images",
            "sell images",
        ),
        (
            "sexting, sending nudes, nude selfies, intimate image, revenge porn,"
            " image based abuse, sextortion",
            "intimate images, shared intimate images online",
        ),
        (
            "escort, escorts, escorting, escort agency, sauna, massage parlour,"
            " massage parlor, brothel, street work, street based, on street,"
            " off street, lap dancing, stripping, stripper, sex trade work",
            "different settings, sex industry",
        ),
        (
            "working girl, working girls, hooker, hookers, on the game",
            "prostitute, sex worker",
        ),
    ],
    "Exploitation and abuse": [
        (
            "county lines, cuckooing, gang, gang exploitation, criminal exploitation",
            "gangs, recruitment",
        ),
        ("loverboy, lover boy, boyfriend model, romeo pimp", "groomed, coercer"),
        ("groomer, groomers", "grooming, groomed"),
        (
            "coercive control, coercion, controlling behaviour, controlling"
            " behavior, controlling partner",
            "coercer, pressurised",
        ),
        (
            "domestic violence, dv, intimate partner violence, ipv, gender based"
            " violence, gbv, abusive relationship, abusive partner, partner abuse",
            "domestic abuse, partner violence",
        ),
        (
            "rape, raped, rape crisis, sexual assault, sexually assaulted",
            "sexual violence, sexual abuse",
        ),
        (
            "child sexual abuse, csa, childhood abuse, abused as a child, historic"
            " abuse, historical abuse",
            "childhood sexual abuse",
        ),
        (
            "adverse childhood experiences, aces, neglected",
            "abuse or neglect, childhood",
        ),
        (
            "modern slavery, human trafficking, trafficked, forced prostitution",
            "trafficking",
        ),
    ],
    "Children's services and child protection": [
        (
            "looked after, looked after children, lac, children in care, care"
            " experienced, care leaver, care leavers, foster care, fostering,"
            " foster carer, kinship care, residential care, childrens home",
            "care system, taken into care, in care",
        ),
        (
            "child protection order, cpo, child protection register, child"
            " protection plan, section 47, care order, care proceedings, childrens"
            " hearing, children's hearing, child removal, removal of children,"
            " permanence order, adoption, adopted",
            "child protection, children removed, apprehended",
        ),
        (
            "social worker, social workers, childrens services, children's"
            " services, children and families, social work department",
            "social services, social work",
        ),
        (
            "parenting capacity, parenting assessment, good enough parenting",
            "parent adequately, parenting",
        ),
        ("mum, mom, mam, mummy, single mother, single mum, motherhood", "mothers"),
        (
            "teenager, teenagers, teen, teens, adolescent, minor, minors, underage,"
            " under age, under 16, under sixteen, schoolgirl",
            "under 18, young people",
        ),
        ("pregnant, pregnancy, baby, babies, newborn, unborn", "neonatal, children"),
    ],
    "Substances and treatment": [
        (
            "methadone, buprenorphine, subutex, espranor, buvidal, suboxone,"
            " naloxone, opioid substitution, opiate substitution, opioid"
            " replacement, opiate replacement, opiate replacement therapy, ost,"
            " script, prescription",
            "drug alcohol use, drug or alcohol use, substance misuse, treatment",
        ),
        (
            "heroin, heroine, smack, opiates, opioids, opiate, opioid, cocaine,"
            " crack, crack cocaine, benzos, benzodiazepines, valium, street valium,"
            " etizolam, cannabis, spice, ketamine, mdma, ecstasy, amphetamine,"
            " amphetamines, speed",
            "drug alcohol use, drug or alcohol use, drugs, substance misuse",
        ),
        (
            "rehab, detox, drug treatment, addiction, addicted,"
            " addict, addicts, dependency, substance use, substances",
            "drug alcohol use, drug or alcohol use, substance misuse, treatment",
        ),
        (
            "needle exchange, needle and syringe, injecting equipment, iep, nsp,"
            " injection, injections, inject",
            "injecting practice, injecting",
        ),
        ("drinking, drink, drinker, alcoholic, alcoholism, booze", "alcohol"),
    ],
    "Money, benefits and housing": [
        (
            "universal credit, benefits, benefit, welfare, dwp, pip, esa, jsa,"
            " sanctions, money advice, debt advice, citizens advice",
            "welfare rights",
        ),
        ("loan shark, owe, owing, owing money, drug debt", "debts"),
        (
            "poverty, skint, broke, cost of living, financial hardship",
            "financial necessity, financial support, money",
        ),
        (
            "job, jobs, employment, cv, jobcentre, job centre, unemployed",
            "employability, job market",
        ),
        (
            "sofa surfing, sofa-surfing, rough sleeping, rough sleeper, sleeping"
            " rough, street homeless, hostel, temporary accommodation, eviction,"
            " evicted, no fixed abode, nfa",
            "somewhere to stay, shelter, accommodation",
        ),
        ("food bank, foodbank, hungry, hunger, meal, meals", "food"),
        ("travel, lift, lifts, taxi, bus fare", "transport"),
    ],
    "Health and mental health": [
        (
            "low mood, suicidal, suicide, self harm, self-harm, self harming,"
            " wellbeing, well-being, emotional health, psychiatric",
            "mental health",
        ),
        ("panic attacks, anxious, worry, worried, stress, stressed", "anxiety"),
        (
            "flashbacks, flashback, nightmares, hypervigilance, triggered, triggers",
            "trauma symptoms, ptsd",
        ),
        (
            "personality disorder, borderline, borderline personality disorder,"
            " emotionally unstable personality disorder",
            "eupd, bpd",
        ),
        ("zoning out, spaced out, switching off", "dissociation, numbed"),
        (
            "sti, stis, std, stds, sexually transmitted infection, hiv, hep c,"
            " hepatitis, chlamydia, sexual health clinic, gum clinic, contraception,"
            " contraceptive, morning after pill, prep, sti testing",
            "sexual health, condoms",
        ),
        ("doctor, doctors, gp surgery, family doctor", "gp"),
        (
            "counselling, counseling, therapy, therapist, psychologist, psychiatrist",
            "mental health support",
        ),
        (
            "learning disability, learning disabilities, autism, autistic, adhd,"
            " chronic illness, long term condition",
            "disabilities, long term health conditions",
        ),
    ],
    "Justice and police": [
        (
            "arrest, arrested, caution, charged, criminal record, conviction,"
            " convictions, offence, offences, offending, prison, jail, probation,"
            " criminal justice, procurator fiscal",
            "police, court, crimes",
        ),
        ("shoplifting, stealing, theft", "shop lifting"),
        (
            "report a crime, reporting a crime, ugly mugs, nugm, bad date,"
            " dodgy punter",
            "national ugly mugs, reporting of crimes",
        ),
        (
            "safeguarding, safeguard, duty of care, mandatory reporting, information"
            " sharing, data protection, gdpr, consent to share, breach"
            " confidentiality, break confidentiality, confidential, privacy",
            "confidentiality, duty to share information",
        ),
    ],
    "Practice and services": [
        (
            "staff, practitioner, practitioners, keyworker, key worker, caseworker,"
            " case worker, support worker, outreach worker",
            "workers, professionals",
        ),
        ("disclose, disclosing, telling, open up", "disclosure, disclosed"),
        (
            "screening, routine enquiry, routine inquiry, how to ask",
            "ask the question",
        ),
        ("get out, leave, leaving, quit, quitting, stop selling", "exit, stop"),
        ("harm reduction", "risk reduction"),
        (
            "safety plan, safety plans, stay safe, staying safe, keeping safe",
            "safety planning, risk reduction",
        ),
        ("terminology, what to call, labels", "language they use, what to call"),
        (
            "asylum seeker, asylum seekers, refugee, refugees, immigrant,"
            " immigrants, no recourse to public funds, nrpf, undocumented",
            "migrants",
        ),
        ("student, uni, university", "college students"),
        (
            "bme, bame, ethnic minority, ethnic minorities, black and minority ethnic",
            "minority groups",
        ),
        ("lothian", "edinburgh"),
        ("tayside", "dundee, perth"),
        ("grampian", "aberdeen"),
        ("strathclyde", "glasgow"),
    ],
    "UK and US spellings, irregular plurals": [
        ("behaviour, behavior", ""),
        ("behaviours, behaviors", ""),
        ("organisation, organization", ""),
        ("organisations, organizations", ""),
        ("organised, organized", ""),
        ("judgemental, judgmental", ""),
        ("non-judgemental, nonjudgmental, non-judgmental, nonjudgemental", ""),
        ("judgement, judgment", ""),
        ("centred, centered", ""),
        ("centre, center", ""),
        ("recognise, recognize", ""),
        ("recognising, recognizing", ""),
        ("pressurised, pressurized", ""),
        ("emphasise, emphasize", ""),
        ("dependent, dependant", ""),
        (
            "re-traumatisation, retraumatisation, re-traumatization,"
            " retraumatization, re-traumatising, retraumatising, re-traumatizing,"
            " retraumatizing",
            "",
        ),
        ("traumatised, traumatized, traumatising, traumatizing", "trauma"),
        ("stigmatised, stigmatized, stigmatising, stigmatizing", "stigma"),
        ("practise", "practice"),
        ("experience, experiences, experienced", ""),
        ("woman, women", ""),
        ("child, children", ""),
        ("man, men", ""),
        ("person, people", ""),
    ],
}


def entries():
    for field, rows in VOCABULARY.items():
        for typed, finds in rows:
            terms = "\n".join(t.strip() for t in typed.split(","))
            also = "\n".join(t.strip() for t in finds.split(",") if t.strip())
            yield terms, also, f"Practitioner vocabulary: {field.lower()}."


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for terms, also, note in entries():
        Synonym.objects.get_or_create(
            terms=terms, defaults={"also_finds": also, "note": note}
        )


def unseed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(terms__in=[terms for terms, _, _ in entries()]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0009_vocabulary_best_bets_no_results")]

    operations = [migrations.RunPython(seed, unseed)]
