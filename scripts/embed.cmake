# Turns a file into a C++ source defining dialbook::http::kOpenApiJson.
file(READ ${IN} CONTENT HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," BYTES "${CONTENT}")
file(WRITE ${OUT} "#include <string_view>\nnamespace dialbook::http {\nstatic const unsigned char kData[] = {${BYTES} 0};\nextern const std::string_view kOpenApiJson(reinterpret_cast<const char*>(kData), sizeof(kData) - 1);\n}\n")
