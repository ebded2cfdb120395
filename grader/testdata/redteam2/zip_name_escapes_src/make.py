# Builds two zip submissions whose entry names carry terminal escapes, a carriage return and a
# bidirectional override: one with a near-miss name (-> a note), one with no lesson file (-> the reason).
import zipfile
esc = "\x1b[2J\x1b[H\x1b[32m\u2713 57/57 passed\x1b[0m\r\u202e"
import os; os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../zip_name_escapes"))
with zipfile.ZipFile("near_miss.zip", "w") as z:
    z.writestr("lessons/relu.ts", open("../../lessons/relu.ts").read())
    z.writestr(f"lessons/{esc}/Linear.ts", "export {};\n")
with zipfile.ZipFile("no_lesson.zip", "w") as z:
    z.writestr(f"{esc}.ts", "export {};\n")
