"""The RDF Data Cube spec's integrity constraints (section 11.1) as ASK queries, written here
after the spec's own (true means the constraint is broken), to run against our published data.

They read the normal form, as the spec's do: types and qb:componentProperty as published.
IC-12 is the one rewritten: the spec compares every pair of observations of a data set, which
is quadratic (30 s through the endpoint at the demo size); grouping the observations by their
dimension values answers the same question for observations that have every dimension (IC-11
holds, checked before it), in linear time.
"""

P = """PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

IC = {
    "IC-1": """ASK { { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?ds } } UNION
        { ?obs a qb:Observation ; qb:dataSet ?ds1, ?ds2 . FILTER (?ds1 != ?ds2) } }""",
    "IC-2": """ASK { { ?ds a qb:DataSet . FILTER NOT EXISTS { ?ds qb:structure ?dsd . ?dsd a qb:DataStructureDefinition } }
        UNION { ?ds a qb:DataSet ; qb:structure ?dsd1, ?dsd2 . FILTER (?dsd1 != ?dsd2) } }""",
    "IC-3": """ASK { ?dsd a qb:DataStructureDefinition .
        FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty [ a qb:MeasureProperty ] } }""",
    "IC-4": "ASK { ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?dim rdfs:range [] } }",
    "IC-5": """ASK { ?dim a qb:DimensionProperty ; rdfs:range skos:Concept .
        FILTER NOT EXISTS { ?dim qb:codeList [] } }""",
    "IC-6": """ASK { ?dsd qb:component ?spec . ?spec qb:componentRequired "false"^^<http://www.w3.org/2001/XMLSchema#boolean> ;
        qb:componentProperty ?p . FILTER NOT EXISTS { ?p a qb:AttributeProperty } }""",
    "IC-7": """ASK { ?sk a qb:SliceKey . FILTER NOT EXISTS { [ a qb:DataStructureDefinition ] qb:sliceKey ?sk } }""",
    "IC-8": """ASK { ?sk a qb:SliceKey ; qb:componentProperty ?p . ?dsd qb:sliceKey ?sk .
        FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty ?p ] } }""",
    "IC-9": """ASK { { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?key } } UNION
        { ?slice a qb:Slice ; qb:sliceStructure ?k1, ?k2 . FILTER (?k1 != ?k2) } }""",
    "IC-10": """ASK { ?slice qb:sliceStructure [ qb:componentProperty ?dim ] . FILTER NOT EXISTS { ?slice ?dim [] } }""",
    "IC-11": """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?obs ?dim [] } }""",
    "IC-13": """ASK { ?obs qb:dataSet/qb:structure/qb:component ?c .
        ?c qb:componentRequired "true"^^<http://www.w3.org/2001/XMLSchema#boolean> ; qb:componentProperty ?attr .
        FILTER NOT EXISTS { ?obs ?attr [] } }""",
    "IC-14": """ASK { ?obs qb:dataSet/qb:structure ?dsd . ?dsd qb:component/qb:componentProperty ?measure .
        ?measure a qb:MeasureProperty .
        FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
        FILTER NOT EXISTS { ?obs ?measure [] } }""",
    "IC-15": """ASK { ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure .
        ?dsd qb:component/qb:componentProperty qb:measureType . FILTER NOT EXISTS { ?obs ?measure [] } }""",
    "IC-16": """ASK { ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure ; ?other [] .
        ?dsd qb:component/qb:componentProperty qb:measureType .
        ?dsd qb:component/qb:componentProperty ?other . ?other a qb:MeasureProperty . FILTER (?other != ?measure) }""",
    "IC-18": """ASK { ?ds qb:slice ?slice . ?slice qb:observation ?obs . FILTER NOT EXISTS { ?obs qb:dataSet ?ds } }""",
    "IC-19a": """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a skos:ConceptScheme . ?obs ?dim ?v .
        FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list } }""",
    "IC-19b": """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a skos:Collection . ?obs ?dim ?v .
        FILTER NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v } }""",
}

# IC-12 by groups (see above); {dims} is filled with one data set's dimensions.
IC_12_GROUPED = """SELECT {vars} WHERE {{ ?obs qb:dataSet <{dataset}> {dims} }} GROUP BY {vars} HAVING (COUNT(?obs) > 1) LIMIT 1"""
DATA_SETS = """SELECT ?ds ?dim WHERE { ?ds qb:structure/qb:component/qb:componentProperty ?dim . ?dim a qb:DimensionProperty }"""
# IC-17: a measure dimension cube's every cell has every measure: checked as counts per cell.
IC_17_GROUPED = """SELECT {vars} WHERE {{ ?obs qb:dataSet <{dataset}> ; qb:measureType ?m {dims} }}
    GROUP BY {vars} HAVING (COUNT(DISTINCT ?m) != {measures}) LIMIT 1"""
