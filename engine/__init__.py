"""The engine layer: the submission model, exact numbers, inputs, facts, the rule condition language and
loader, the one adapter around durable-rules, evaluation, scoring, the workbook and the command line."""
