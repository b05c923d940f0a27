// validate() on built problems (the parser's path is covered in descriptor_parse_test.cpp).
#include <gtest/gtest.h>

#include "convprobe/problem.hpp"

namespace convprobe {
namespace {

Problem small() {
  Problem p;
  p.mb = 1;
  p.ic = 4;
  p.oc = 8;
  p.in = {1, 16, 16};
  p.kernel = {1, 3, 3};
  return p;
}

TEST(Validate, AcceptsValidProblems) {
  EXPECT_EQ(validate(small()), "");
  Problem dw = small();
  dw.g = dw.ic = dw.oc = 8;
  EXPECT_EQ(validate(dw), "");
}

TEST(Validate, TensorByteLimitIsAParameter) {
  const Problem p = small();  // src 1*4*16*16*4 = 4096 bytes, dst 1*8*14*14*4 = 6272 bytes
  EXPECT_EQ(validate(p, 6272), "");
  const std::string err = validate(p, 5000);
  EXPECT_EQ(err, "dst tensor=6272 bytes (1568 elements of f32): expected at most 5000 bytes");
  Problem h = p;
  h.type = DataType::f16;
  EXPECT_EQ(validate(h, 5000), "");
}

TEST(Validate, TwoDimensionalProblemHasNeutralDepth) {
  Problem p = small();
  p.in[0] = 4;
  EXPECT_EQ(validate(p), "id=4: a 2-D problem has id=1 (set spatial_dims to 3 for a 3-D problem)");
  p = small();
  p.pad_begin[0] = p.pad_end[0] = 1;
  EXPECT_NE(validate(p).find("pd=1"), std::string::npos);
  p.spatial_dims = 3;
  EXPECT_EQ(validate(p), "");
}

TEST(Validate, NamesFieldValueAndExpectation) {
  struct Case {
    void (*mutate)(Problem&);
    const char* message;
  };
  const Case cases[] = {
      {[](Problem& p) { p.spatial_dims = 0; }, "spatial_dims=0: expected 1, 2 or 3"},
      {[](Problem& p) { p.spatial_dims = 1; },
       "ih=16: a 1-D problem has ih=1 (set spatial_dims to 2 for a 2-D problem)"},
      {[](Problem& p) { p.mb = -1; }, "mb=-1: expected a positive integer"},
      {[](Problem& p) { p.g = 3; }, "g=3 does not divide ic=4"},
      {[](Problem& p) { p.g = 4; }, ""},
      {[](Problem& p) { p.g = 4, p.oc = 6; }, "g=4 does not divide oc=6"},
      {[](Problem& p) { p.kernel[2] = 0; }, "kw=0: expected a positive integer"},
      {[](Problem& p) { p.stride[2] = -1; }, "sw=-1: expected an integer >= 1"},
      {[](Problem& p) { p.pad_begin[1] = p.pad_end[1] = -2; }, "ph=-2: expected an integer >= 0"},
      {[](Problem& p) { p.dilation[2] = -1; },
       "dw=-1: expected an integer >= 0 (benchdnn convention: 0 = no dilation)"},
      {[](Problem& p) { p.in[2] = 2; },
       "ow=0: expected a positive output width; iw=2 with padding pw=0 on each side is smaller than the "
       "effective "
       "kernel 3 (kw=3, dw=0)"},
  };
  for (const auto& c : cases) {
    Problem p = small();
    c.mutate(p);
    EXPECT_EQ(validate(p), c.message);
  }
}

}  // namespace
}  // namespace convprobe
